"""The Telegram front end (python-telegram-bot v22): handlers, and one function that wires them.

Every text message, button tap and inline query goes to the same answer engine
as the command line.  Per-chat context (for follow-ups) lives in chat_data, kept
across restarts by PicklePersistence.
"""
from __future__ import annotations

import asyncio
import hashlib
import html
import logging
import sys
import time

from telegram import (
    Bot,
    BotCommand,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import InvalidToken, NetworkError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    PersistenceInput,
    PicklePersistence,
    filters,
)

from bot import charts, render
from bot.engine import Engine
from bot.reply import LABEL, Reply
from bot.settings import Settings, SettingsError, load
from nlu.context import Context
from store.query import StoreError, open_store

log = logging.getLogger("cityq")
EXAMPLES = ["无锡2015智慧管理排名", "数字经济前十", "南京是数字经济几线城市"]
HELP_EXAMPLES = [
    ("排名", "无锡2015智慧管理排名"), ("得分", "常州2015数据开放服务水平得分"), ("对比", "杭州和宁波智慧经济哪个强"),
    ("平均", "2015年华东地区平均分"), ("榜单", "数字经济前十"), ("筛选", "2015年总分70分以上的城市"),
    ("各项", "上海2015年各项得分"), ("历届", "北京历届排名"), ("梯队", "南京是数字经济几线城市"),
    ("报告", "2015年评估了多少个城市"),
]
COMMANDS = [("start", "开始"), ("help", "能问什么"), ("reports", "五份报告"), ("about", "数据来源")]
MAX_MESSAGE = 500
KEEP_BUTTONS = 50


# --- helpers -------------------------------------------------------------------------
def _engine(context: ContextTypes.DEFAULT_TYPE) -> Engine:
    return context.application.bot_data["engine"]


def _remember(chat_data: dict, kind: str, value: object) -> str:
    """Store a button's payload under a short id; old ones are dropped."""
    store = chat_data.setdefault(kind, {})
    chat_data["seq"] = chat_data.get("seq", 0) + 1
    key = str(chat_data["seq"])
    store[key] = value
    for old in sorted(store, key=int)[:-KEEP_BUTTONS]:
        del store[old]
    return key


def _buttons(reply: Reply, chat_data: dict, question: str) -> list[list[tuple[str, str]]]:
    if reply.status == "clarify" and reply.candidates:
        qid = _remember(chat_data, "pending", {"text": question, "surface": reply.ambiguous})
        return [[(label, render.callback("pick", qid, entity_id))] for entity_id, label in reply.candidates]
    return [[(label, render.callback("ask", _remember(chat_data, "asks", q)))] for label, q in reply.suggestions[:3]]


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """Answer `text` in the chat of `update`, with its buttons and chart."""
    chat = update.effective_chat
    chat_data = context.chat_data
    reply = _engine(context).answer(text, Context.from_dict(chat_data.get("ctx")))
    chat_data["ctx"] = reply.context.to_dict() if reply.context else None
    markup = render.keyboard(_buttons(reply, chat_data, text))
    pieces = render.split(render.to_html(reply))
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        await context.bot.send_message(chat.id, piece, parse_mode=ParseMode.HTML, reply_markup=markup if last else None)
    if reply.chart and reply.status == "ok":
        await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_PHOTO)
        await context.bot.send_photo(chat.id, charts.render(reply.chart), caption=reply.chart.get("title", "")[:1000])


def _throttled(context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """A "slow down" notice when this user has asked more than the per-minute allowance
    (sent once per flood); None when the question may be answered."""
    data = context.user_data
    if data is None:  # a channel post has no user to throttle
        return None
    limit = context.application.bot_data.get("per_minute", 20)
    now = time.monotonic()
    recent = [t for t in data.get("times", []) if now - t < 60] + [now]
    data["times"] = recent[-limit - 1:]
    if len(recent) <= limit:
        data["warned"] = False
        return None
    notice = "" if data.get("warned") else "问得太快了，请稍等一分钟再问。"
    data["warned"] = True
    return notice


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


# --- handlers ------------------------------------------------------------------------
async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet and offer three example questions."""
    rows = [[(q, render.callback("ask", _remember(context.chat_data, "asks", q)))] for q in EXAMPLES]
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
    store = _engine(context).store
    publishers = "、".join(dict.fromkeys(r.publisher for r in store.reports()))
    text = (f"数据来源：{html.escape(publishers)} 发布的评估报告原文。所有数字均照报告原样引用；"
            "报告未印的名次或平均数按表中数据计算，并在回答中注明。")
    await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text message addressed to the bot."""
    question = _addressed(update, context)
    if question is None:
        return
    if len(question) > MAX_MESSAGE:
        await update.effective_message.reply_text(f"消息太长了（超过 {MAX_MESSAGE} 字），请用一句话提问。")
        return
    notice = _throttled(context)
    if notice is not None:
        if notice:
            await update.effective_message.reply_text(notice)
        return
    await _answer(update, context, question)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a tapped button: a chosen candidate, a follow-up or an example."""
    query = update.callback_query
    kind, _, rest = (query.data or "").partition("|")
    chat_data = context.chat_data if context.chat_data is not None else {}
    if kind == "pick":
        qid, _, entity_id = rest.partition("|")
        pending = chat_data.get("pending", {}).pop(qid, None)
        try:
            entity = _engine(context).store.entity(entity_id)
        except KeyError:
            entity = None
        if not pending or not entity or not pending.get("surface"):
            await query.answer("这个按钮已过期，请重新提问。")
            return
        await query.answer()
        await query.edit_message_text(f"已选择：{entity.full_name}")
        await _answer(update, context, pending["text"].replace(pending["surface"], entity.full_name, 1))
    elif kind == "ask" and rest in chat_data.get("asks", {}):
        await query.answer()
        await _answer(update, context, chat_data["asks"][rest])
    else:
        await query.answer("这个按钮已过期，请重新提问。")


async def on_inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer the answer to an inline query as one result."""
    text = update.inline_query.query.strip()[:MAX_MESSAGE]
    if not text:
        await update.inline_query.answer([], cache_time=60)
        return
    reply = _engine(context).answer(text)
    body = render.split(render.to_html(reply))[0]
    result = InlineQueryResultArticle(
        id=hashlib.sha1(text.encode("utf-8")).hexdigest()[:32],
        title=reply.text.split("\n")[0][:64],
        description=reply.text[:120],
        input_message_content=InputTextMessageContent(body, parse_mode=ParseMode.HTML),
    )
    await update.inline_query.answer([result], cache_time=300)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error with its update, and tell the user something went wrong."""
    log.error("error while handling %r", update, exc_info=context.error)
    if isinstance(update, Update) and update.effective_message:
        try:
            await update.effective_message.reply_text("抱歉，处理这条消息时出错了，请换个问法再试。")
        except NetworkError:
            pass


async def _register_commands(application: Application) -> None:
    await application.bot.set_my_commands([BotCommand(name, desc) for name, desc in COMMANDS])


# --- wiring ----------------------------------------------------------------------------
def build_application(settings: Settings, engine: Engine) -> Application:
    """The Application with every handler; nothing is started."""
    application = (
        Application.builder()
        .token(settings.token)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .persistence(PicklePersistence(filepath=settings.state_file,  # chat context only: bot_data holds the engine
                                       store_data=PersistenceInput(bot_data=False, user_data=False,
                                                                   callback_data=False)))
        .rate_limiter(AIORateLimiter(max_retries=2))
        .post_init(_register_commands)
        .build()
    )
    application.bot_data["engine"] = engine
    application.bot_data["per_minute"] = settings.per_user_per_minute
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("reports", reports_command))
    application.add_handler(CommandHandler("about", about_command))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(InlineQueryHandler(on_inline))
    application.add_error_handler(on_error)
    return application


async def _check_token(settings: Settings) -> None:
    """Ask the Bot API who we are: raises InvalidToken or NetworkError."""
    async with Bot(settings.token, base_url=settings.base_url, base_file_url=settings.base_file_url) as bot:
        await bot.get_me()


def run(db: str | None = None) -> int:
    """Run the bot until interrupted: long polling, or a webhook when WEBHOOK_URL is set."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = None
    try:
        settings = load()
        engine = Engine(open_store(db or settings.db))
        settings.state_file.parent.mkdir(parents=True, exist_ok=True)
        asyncio.run(_check_token(settings))  # a clear one-line error before PTB starts logging tracebacks
        application = build_application(settings, engine)
        if settings.webhook_url:
            application.run_webhook(listen=settings.webhook_listen, port=settings.webhook_port,
                                    url_path=settings.webhook_path, webhook_url=settings.webhook_url,
                                    secret_token=settings.webhook_secret)
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except (SettingsError, StoreError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    except InvalidToken:
        print("错误 / error: Telegram rejected TELEGRAM_BOT_TOKEN (check it with @BotFather)", file=sys.stderr)
        return 2
    except NetworkError as exc:
        print(f"错误 / error: cannot reach the Bot API at {settings.base_url}: {exc}", file=sys.stderr)
        return 2
    return 0
