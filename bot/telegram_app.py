"""The Telegram front end (python-telegram-bot v22): handlers, and one function that wires them.

Every text message, button tap and inline query goes to the same answer engine as the command
line.  Each chat's context (for follow-ups) and its pending buttons live in SQLite
(bot/chat_state.py), read and written off the event loop.  Updates of different chats run
concurrently, those of one chat in order (bot/chat_order.py); every update a user sends passes one
throttle first (bot/throttle.py); sends are retried and unparseable updates skipped (bot/botapi.py).
"""
from __future__ import annotations

import asyncio
import gc
import hashlib
import html
import logging
import re
import secrets
import ssl
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import httpx
from telegram import (
    Bot,
    BotCommand,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot import charts, followups, logs, misses, render
from bot.botapi import CityqBot, RetryingLimiter
from bot.chat_order import LeanApplication, PerChatOrder
from bot.chat_state import ChatState, StateError
from bot.cli import make_engine
from bot.engine import Engine
from bot.reply import LABEL, Reply
from bot.settings import Settings, SettingsError, load
from bot.throttle import Throttle
from nlu.context import Context
from nlu.rules import help_examples
from store.query import StoreError

log = logging.getLogger("cityq")
rare = logs.RateLimitedLog(log)
# The update kinds the handlers below handle; Telegram is asked for these only.
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
CHARTS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="charts")  # pyplot is not thread-safe: one at a time
EXPIRED = "这个按钮已过期，请重新提问。"
EXAMPLES = ["无锡2015智慧管理排名", "数字经济前十", "南京是数字经济几线城市"]
HELP_EXAMPLES = help_examples()  # the rules' own first examples, as /help in the console
FEEDBACK = {"up": "👍", "down": "👎", "why": "🔍 我的理解"}  # callback item → label of the row under an answer
COMMANDS = [("start", "开始"), ("help", "能问什么"), ("reports", "五份报告"), ("about", "数据来源")]
MAX_MESSAGE = 500
MAX_INLINE = 10  # inline results offered at once
ASKED = "_asked"  # key, beside the chat's context, of the last question and how it was read (for 「不对」)
CORRECTED = ("抱歉，理解错了。已记下「{}」，我们会据此改进。换个说法再问一次试试（写全城市、年份和指标最稳妥），"
             "或点答案下的 🔍 我的理解 看我是怎么读的。")



# --- helpers -------------------------------------------------------------------------
def _engine(context: ContextTypes.DEFAULT_TYPE) -> Engine:
    return context.application.bot_data["engine"]


def _state(context: ContextTypes.DEFAULT_TYPE) -> ChatState:
    return context.application.bot_data["state"]


async def _buttons(reply: Reply, state: ChatState, chat_id: int, question: str) -> list[list[tuple[str, str]]]:
    """The reply's buttons; their payload is kept as one button set, the callback data holds its id.

    A clarify reply gets one button per candidate; an answer its follow-ups and a row of
    👍 / 👎 / 🔍 我的理解 (the question, its status and how it was read are kept for those)."""
    if reply.status == "clarify" and reply.candidates:
        set_id = await state.add_buttons(chat_id, {"kind": "pick", "text": question, "surface": reply.ambiguous})
        return [] if set_id is None else render.rows([(label, render.callback("pick", str(set_id), entity_id))
                                                      for entity_id, label in reply.candidates])
    about = {"text": question[:MAX_MESSAGE], "status": reply.status, "intent": reply.intent,
             "explain": reply.explain, "query": reply.query}
    return await _ask_buttons(state, chat_id, reply.suggestions, about if reply.status in ("ok", "no_data") else None)


async def _ask_buttons(state: ChatState, chat_id: int, pairs: list[tuple[str, str]],
                       about: dict | None = None) -> list[list[tuple[str, str]]]:
    """One button per (label, question), a tap asks the question; with `about`, the feedback row too."""
    if not pairs and not about:
        return []
    set_id = await state.add_buttons(chat_id, {"kind": "ask", "asks": [q for _, q in pairs], "about": about})
    if set_id is None:
        return []
    rows = render.rows([(label, render.callback("ask", str(set_id), str(i))) for i, (label, _) in enumerate(pairs)])
    if about:
        rows.append([(label, render.callback("fb", str(set_id), item)) for item, label in FEEDBACK.items()])
    return rows


async def _reply(context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str) -> Reply:
    """The engine's answer in the chat's context; a saved context the engine cannot use is
    moved aside and the question answered afresh, so one bad row never breaks a chat."""
    state = _state(context)
    saved = await state.context(chat_id)
    saved = {k: v for k, v in saved.items() if k != ASKED} if isinstance(saved, dict) else saved
    try:
        return _engine(context).answer(text, Context.from_dict(saved))
    except Exception as exc:
        if saved is None:
            raise
        await state.forget_context(chat_id, f"{type(exc).__name__}: {exc}")
        return _engine(context).answer(text, None)


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """Answer `text` in the chat of `update`, with its buttons and chart; the context is saved first.

    With a chart the answer is the photo, the text its caption when it fits (1,024 characters);
    otherwise the text, then the photo with the chart's title.  In a group the answer replies to
    the message that asked, so it threads in a busy chat."""
    chat_id = update.effective_chat.id
    state = _state(context)
    reply = await _reply(context, chat_id, text)
    asked = {"text": text[:MAX_MESSAGE], "status": reply.status, "intent": reply.intent, "explain": reply.explain}
    await state.save_context(chat_id, {**(reply.context.to_dict() if reply.context else {}), ASKED: asked})
    if reply.status in misses.TELEGRAM_STATUSES:
        await asyncio.to_thread(misses.record, text, reply.status, reply.intent, reply.explain, reply.status)
    markup = render.keyboard(await _buttons(reply, state, chat_id, text))
    asked = update.message if update.effective_chat.type != ChatType.PRIVATE else None  # the message to thread to
    reply_to = ReplyParameters(asked.message_id, allow_sending_without_reply=True) if asked else None
    body = render.to_html(reply)
    png = None
    if reply.chart and reply.status == "ok":
        await context.bot.send_chat_action(chat_id, ChatAction.UPLOAD_PHOTO)
        png = await asyncio.get_running_loop().run_in_executor(CHARTS, charts.render, reply.chart)
        if render.visible_length(body) <= render.CAPTION_LIMIT:
            await context.bot.send_photo(chat_id, png, caption=body, parse_mode=ParseMode.HTML, reply_markup=markup,
                                         reply_parameters=reply_to)
            return
    pieces = render.split(body)
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        await context.bot.send_message(chat_id, piece, parse_mode=ParseMode.HTML, reply_markup=markup if last else None,
                                       reply_parameters=reply_to if i == 0 else None)
    if png:
        await context.bot.send_photo(chat_id, png, caption=reply.chart.get("title", "")[:render.CAPTION_LIMIT])


def _addressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The question, if the message is for the bot: any private message; in groups a mention or a reply to the bot."""
    message = update.effective_message
    text = message.text or ""
    if update.effective_chat.type == ChatType.PRIVATE:
        return text
    mention = f"@{context.bot.username}"
    if context.bot.username and mention.lower() in text.lower():
        return text.replace(mention, "").replace(mention.lower(), "").strip()
    replied = message.reply_to_message
    if replied and replied.from_user and replied.from_user.id == context.bot.id:
        return text
    return None


def _for_the_bot(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether the update asks the bot for something (and so counts towards the user's allowance)."""
    if update.callback_query or update.inline_query:
        return True
    message = update.effective_message
    return bool(message and message.text and (message.text.startswith("/") or _addressed(update, context) is not None))


# --- handlers ------------------------------------------------------------------------
async def throttle_gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop an update over the user's per-minute allowance: one notice per burst, a log line for each."""
    user = update.effective_user
    if user is None or not _for_the_bot(update, context):
        return
    verdict = context.application.bot_data["throttle"].check(user.id)
    if verdict.allowed:
        return
    kind = "tap" if update.callback_query else "inline query" if update.inline_query else "message"
    log.info("throttled user %s: %s dropped (%d in this burst; allowed again in %d s)",
             user.id, kind, verdict.dropped, verdict.wait)
    notice = f"问得太快了，请 {verdict.wait} 秒后再问。"
    if update.callback_query:  # a tap must be answered either way, or its button keeps spinning
        await update.callback_query.answer(notice if verdict.notify else None)
    elif verdict.notify and update.inline_query:
        await update.inline_query.answer([], cache_time=0,
                                         button=InlineQueryResultsButton(notice, start_parameter="slow"))
    elif verdict.notify:
        await update.effective_message.reply_text(notice)
    raise ApplicationHandlerStop


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet and offer three example questions."""
    rows = await _ask_buttons(_state(context), update.effective_chat.id, [(q, q) for q in EXAMPLES])
    text = ("你好！我回答中国城市在五份评估报告里的排名和得分：2015、2016、2021 年智慧城市评估，"
            "2020 年政府网站绩效评估和城市数字经济指数。直接打字提问，或点下面的例子：")
    await update.effective_message.reply_text(text, reply_markup=render.keyboard(rows))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List what can be asked, one example per kind of question."""
    lines = ["<b>可以这样问</b>"] + [f"• {html.escape(kind)}：{html.escape(q)}" for kind, q in HELP_EXAMPLES]
    lines.append("追问也可以：「那杭州呢」「它的智慧经济呢」「2016年呢」「前十呢」「和宁波比呢」。")
    await update.effective_message.reply_text("\n".join(lines), parse_mode=ParseMode.HTML)


async def reports_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the reports with publisher and year."""
    store = _engine(context).store
    lines = ["<b>五份报告</b>"] + [
        f"• {html.escape(LABEL[r.key])}：{html.escape(r.title)}（{html.escape(r.publisher)}，评估对象 {r.entity_count} 个）"
        for r in store.reports()]
    await update.effective_message.reply_text("\n".join(lines), parse_mode=ParseMode.HTML)


async def about_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Name the sources and how numbers are used."""
    text = (f"数据来源：{html.escape(publishers(_engine(context).store))} 发布的评估报告原文。所有数字均照报告原样引用；"
            "报告未印的名次或平均数按表中数据计算，并在回答中注明。")
    await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)


def publishers(store) -> str:
    """Each publisher once, with the years of its reports: 「中国软件评测中心（2020、2021）」."""
    years: dict[str, list[str]] = {}
    for r in sorted(store.reports(), key=lambda r: r.year):
        for name in r.publisher.split("、"):
            key = re.sub(r"\s*[（(][^）)]*[）)]", "", name).strip()  # 中国软件评测中心 (CSTC) is 中国软件评测中心
            years.setdefault(key, [])
            if str(r.year) not in years[key]:
                years[key].append(str(r.year))
    return "、".join(f"{name}（{'、'.join(ys)}）" for name, ys in years.items())


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text message addressed to the bot."""
    question = _addressed(update, context)
    if question is None:
        return
    if len(question) > MAX_MESSAGE:
        await update.effective_message.reply_text(f"消息太长了（超过 {MAX_MESSAGE} 字），请用一句话提问。")
        return
    if misses.is_correction(question) and await _corrected(update, context):
        return
    await _answer(update, context, question)


async def _corrected(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """「不对」 after an answer: log the question before as corrected and say so; False when nothing was asked."""
    state, chat_id = _state(context), update.effective_chat.id
    saved = await state.context(chat_id)
    asked = saved.get(ASKED) if isinstance(saved, dict) else None
    if not isinstance(asked, dict) or not isinstance(asked.get("text"), str):
        return False
    if not asked.get("corrected"):  # a second 「不对」 is answered alike, not logged twice
        await asyncio.to_thread(misses.record, asked["text"], asked.get("status"), asked.get("intent"),
                                asked.get("explain"), "corrected")
        await state.save_context(chat_id, {**saved, ASKED: {**asked, "corrected": True}})
    await update.effective_message.reply_text(CORRECTED.format(asked["text"]))
    return True


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a tapped button: a chosen candidate, a follow-up or an example."""
    query = update.callback_query
    kind, set_id, item = ((query.data or "").split("|") + ["", ""])[:3]
    payload = None
    if update.effective_chat and set_id.isdigit():
        payload = await _state(context).buttons(update.effective_chat.id, int(set_id))
    if kind == "pick" and payload and payload.get("kind") == "pick":
        await _pick(update, context, payload, int(set_id), item)
        return
    asks = payload.get("asks") if payload and payload.get("kind") == "ask" else None
    about = payload.get("about") if payload and payload.get("kind") == "ask" else None
    if kind == "ask" and isinstance(asks, list) and item.isdigit() and int(item) < len(asks):
        await query.answer()
        await _answer(update, context, str(asks[int(item)]))
    elif kind == "fb" and isinstance(about, dict) and item in FEEDBACK:
        await _feedback(update, context, about, item)
    else:
        await query.answer(EXPIRED)


async def _feedback(update: Update, context: ContextTypes.DEFAULT_TYPE, about: dict, item: str) -> None:
    """👍 thanks; 👎 records the question and how it was read in the misses log; 🔍 shows that reading."""
    query = update.callback_query
    if item == "why":
        await query.answer()
        lines = [html.escape(x) for x in about.get("explain") or []] or [f"意图 {about.get('intent')}"]
        await context.bot.send_message(update.effective_chat.id, "🔍 <b>我的理解</b>\n" + "\n".join(lines),
                                       parse_mode=ParseMode.HTML)
        return
    if item == "down":
        await asyncio.to_thread(misses.record, str(about.get("text", "")), about.get("status"), about.get("intent"),
                                about.get("explain"), "thumbs_down")
    await query.answer("谢谢！已记下这个回答理解有误，我们会据此改进。" if item == "down" else "谢谢！")


async def _pick(update: Update, context: ContextTypes.DEFAULT_TYPE, payload: dict, set_id: int, entity_id: str) -> None:
    """Answer the pending question for the candidate the user chose."""
    query = update.callback_query
    try:
        entity = _engine(context).store.entity(entity_id)
    except KeyError:
        entity = None
    text, surface = payload.get("text"), payload.get("surface")
    if not entity or not isinstance(text, str) or not isinstance(surface, str) or not surface:
        await query.answer(EXPIRED)
        return
    await _state(context).drop_buttons(update.effective_chat.id, set_id)
    await query.answer()
    shown = query.message.text if isinstance(query.message, Message) and query.message.text else f"「{surface}」指哪一个？"
    await query.edit_message_text(f"{shown}\n→ {entity.full_name}")  # the question stays, the choice is added
    await _answer(update, context, text.replace(surface, entity.full_name, 1))


async def on_inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer answers to an inline query, one result per candidate (吉林市 / 吉林省) or per report, each with a
    short title; an empty or unreadable query offers the example questions instead of a refusal."""
    text = update.inline_query.query.strip()[:MAX_MESSAGE]
    engine = _engine(context)
    results = _inline_results(engine, text) if text else []
    if not results:
        results = [_inline_result(q, engine.answer(q, follow_ups=False), title=q) for q in EXAMPLES]
    await update.inline_query.answer(results[:MAX_INLINE], cache_time=300 if text else 3600)


def _inline_results(engine: Engine, text: str) -> list[InlineQueryResultArticle]:
    reply = engine.answer(text, follow_ups=False)
    if reply.status == "clarify" and reply.candidates and reply.ambiguous:
        out = []
        for entity_id, label in reply.candidates:
            asked = text.replace(reply.ambiguous, engine.store.entity(entity_id).full_name, 1)
            chosen = engine.answer(asked, follow_ups=False)
            if chosen.status in ("ok", "no_data"):
                out.append(_inline_result(asked, chosen, prefix=label))
        return out
    if reply.status == "out_of_scope":
        return []
    parts = [(q, engine.answer(q, follow_ups=False)) for q in followups.each_report(engine, reply)]
    parts = [(q, r) for q, r in parts if r.status in ("ok", "no_data")]
    return [_inline_result(q, r) for q, r in parts] or [_inline_result(text, reply)]


def _inline_result(asked: str, reply: Reply, title: str | None = None, prefix: str = "") -> InlineQueryResultArticle:
    """One article: a short title (`title`: the example question itself; `prefix`: the candidate it is for)."""
    short, description = render.short_title(reply)
    if prefix:  # the candidate's name once: 「吉林市 · 2 项评估」, not 「吉林市 · 吉林 · 2 项评估」
        head, dot, tail = short.partition(" · ")
        short = tail if dot and prefix.startswith(head) else short
        short = f"{prefix} · {short.replace(prefix, '', 1)}"
    return InlineQueryResultArticle(
        id=hashlib.sha1(asked.encode("utf-8")).hexdigest()[:32],
        title=title or short,
        description=short if title else description,
        input_message_content=InputTextMessageContent(render.split(render.to_html(reply))[0], parse_mode=ParseMode.HTML),
    )


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A sticker, photo, voice message … or an unknown command in a private chat: a short hint, never silence."""
    message = update.effective_message
    if message.text and message.text.startswith("/"):
        command = html.escape(message.text.split()[0].split("@")[0])
        text = f"没有 {command} 这个命令。/help 看能问什么，或者直接打字提问。"
    else:
        text = "我只看得懂文字提问，比如「无锡2015智慧管理排名」。/help 看更多例子。"
    await message.reply_text(text)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error (rate-limited) and tell the user something went wrong."""
    error = context.error
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        return  # a send that failed after its retries: RetryingLimiter logged it; telling the user would fail too
    update_id = update.update_id if isinstance(update, Update) else None
    rare.warning("handler", "error while handling update %s: %s: %s", update_id, type(error).__name__, error,
                 exc_info=error)
    if isinstance(update, Update) and update.effective_message:
        try:
            await update.effective_message.reply_text("抱歉，处理这条消息时出错了，请换个问法再试。")
        except TelegramError:  # e.g. Forbidden: the error is logged above, once; PTB would log a traceback each time
            pass


async def _register_commands(application: Application) -> None:
    await application.bot.set_my_commands([BotCommand(name, desc) for name, desc in COMMANDS])


async def _close_state(application: Application) -> None:
    application.bot_data["state"].close()


# --- wiring ----------------------------------------------------------------------------
def build_application(settings: Settings, engine: Engine, limiter: RetryingLimiter | None = None) -> Application:
    """The Application with every handler and an open chat state (raises StateError); nothing is started."""
    processor = PerChatOrder()  # polling fetches while fewer than MAX_BACKLOG updates are unfinished
    bot = CityqBot(settings.token, base_url=settings.base_url, base_file_url=settings.base_file_url,
                   request=_request(connection_pool_size=256), get_updates_request=_request(),
                   rate_limiter=limiter or RetryingLimiter(), backlog=processor)
    if settings.webhook_url:  # tornado, which bot.webhook imports, only where it serves
        from bot import webhook

        webhook.install()  # an update PTB cannot parse, posted to the webhook, is confirmed instead of refused
    state = ChatState(settings.state_file, max_idle=settings.state_max_idle_days * 86400)
    application = (
        Application.builder()
        .application_class(LeanApplication)
        .bot(bot)
        .concurrent_updates(processor)
        .post_init(_register_commands)
        .post_shutdown(_close_state)
        .build()
    )
    application.bot_data.update(engine=engine, state=state, throttle=Throttle(settings.per_user_per_minute))
    application.add_handler(TypeHandler(Update, throttle_gate), group=-1)
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("reports", reports_command))
    application.add_handler(CommandHandler("about", about_command))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    application.add_handler(MessageHandler(filters.ChatType.PRIVATE & ~filters.StatusUpdate.ALL, on_other))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(InlineQueryHandler(on_inline))
    application.add_error_handler(on_error)
    return application


def webhook_options(settings: Settings) -> dict:
    """Arguments for run_webhook/start_webhook: a random secret when WEBHOOK_SECRET is unset, so
    the webhook refuses requests that do not come from Telegram by default."""
    return dict(listen=settings.webhook_listen, port=settings.webhook_port, url_path=settings.webhook_path,
                webhook_url=settings.webhook_url, secret_token=settings.webhook_secret or secrets.token_urlsafe(32),
                allowed_updates=ALLOWED_UPDATES)


@lru_cache(maxsize=1)
def _tls() -> ssl.SSLContext:
    """The TLS settings every Bot API client of the process shares: httpx's default (certifi's
    certificates, SSL_CERT_FILE / SSL_CERT_DIR honoured), made once; each client made its own,
    and loading the certificates took 30 ms a client, four clients at start-up."""
    return httpx.create_ssl_context()


def _request(**kwargs) -> HTTPXRequest:
    return HTTPXRequest(**kwargs, httpx_kwargs={"verify": _tls()})


async def _check_token(settings: Settings) -> None:
    """Ask the Bot API who we are: raises InvalidToken or NetworkError."""
    async with Bot(settings.token, base_url=settings.base_url, base_file_url=settings.base_file_url,
                   request=_request(), get_updates_request=_request()) as bot:
        await bot.get_me()


def run(db: str | None = None) -> int:
    """Run the bot until interrupted: long polling, or a webhook when WEBHOOK_URL is set."""
    settings = None
    try:
        settings = load()
        hook = webhook_options(settings) if settings.webhook_url else None
        logs.configure([settings.token, hook and hook["secret_token"]], level=settings.log_level)
        engine = make_engine(db or settings.db, warm=True)  # as the console: the first user's answer is warm
        application = build_application(settings, engine)  # opens the chat state: StateError if not writable
        gc.freeze()  # the application's objects too, like the engine's: full collections skip them
        asyncio.run(_check_token(settings))  # a clear one-line error before PTB starts logging tracebacks
        if hook:
            application.run_webhook(**hook)
        else:
            application.run_polling(allowed_updates=ALLOWED_UPDATES)
    except (SettingsError, StoreError, StateError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    except InvalidToken:
        print("错误 / error: Telegram rejected TELEGRAM_BOT_TOKEN (check it with @BotFather)", file=sys.stderr)
        return 2
    except NetworkError as exc:
        print(f"错误 / error: cannot reach the Bot API at {settings.base_url}: {exc}", file=sys.stderr)
        return 2
    return 0
