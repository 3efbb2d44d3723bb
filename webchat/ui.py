"""The chat's layout and wiring: an Assistant and Settings in, a gr.Blocks out (chat, facts,
reports and batch tabs, plus the /ask, /page, /chat, /facts, /upload, /remove and /batch endpoints).

What each event does lives in `webchat/handlers.py` (no Gradio there); this module only places
components, turns handler results into component updates and starts the server.
"""

from __future__ import annotations

import atexit

from webchat.assets import APP_JS, CLEAR_QUESTION, CSS
from webchat.config import LoginGate, Settings
from webchat.conversation import Conversation
from webchat.files import ALLOWED_SUFFIXES, Scratch
from webchat.handlers import ChatHandlers, Pickers
from webchat.render import FACT_VIEW_COLUMNS, REPORT_COLUMNS

REPORT_WIDTHS = ["34%", "16%", "10%", "11%", "7%", "7%", "15%"]
FACT_VIEW_WIDTHS = ["22%", "48%", "22%", "8%"]
ASK_CONCURRENCY = 4  # questions answered at once across all users (the core is thread-safe)


def picker_updates(p: Pickers) -> tuple:
    """The reports table and every picker (scope, facts report, unit, sector, remove) updated to `p`."""
    import gradio as gr

    return (p.rows, gr.update(choices=p.reports),
            gr.update(choices=[("All reports", "")] + p.reports),
            gr.update(choices=[("All units", "")] + [(u, u) for u in p.units]),
            gr.update(choices=[("All sectors", "")] + [(s, s) for s in p.sectors]),
            gr.update(choices=p.reports, value=[]))


def build_ui(assistant, settings: Settings | None = None):
    """The Gradio app over one Assistant: chat, facts, reports and batch tabs, plus the /ask API."""
    import gradio as gr

    scratch = Scratch()
    atexit.register(scratch.remove)
    handlers = ChatHandlers(assistant, settings, scratch)
    settings = handlers.settings

    # Gradio hands an event its progress tracker through a parameter whose default is a gr.Progress,
    # so the handlers that report progress are wrapped here; the rest are wired as they are.
    index_progress, batch_progress = gr.Progress(), gr.Progress()

    def chat(question: str, history: list | None = None,
             reports: list[str] | None = None) -> tuple[str, list, dict | None]:
        """One whole chat turn: (cleared question box, the history with the turn added, the Answer's JSON)."""
        return handlers.chat(question, history, reports)

    def answering(conversation, last_word: bool):
        for messages, answered, answer in handlers.answer_waiting(conversation, last_word):
            yield (gr.skip() if messages is None else messages), (answer if answered else gr.skip())

    def answer_waiting(conversation):
        yield from answering(conversation, last_word=True)

    def answer_restored(conversation):  # after a reload: shows something only if a question was left waiting
        yield from answering(conversation, last_word=False)

    def upload(files, progress=index_progress):
        return (handlers.upload(files, progress), *picker_updates(handlers.pickers()), None)

    def remove(names):
        return (handlers.remove(names), *picker_updates(handlers.pickers()))

    def run_batch(questions_file, scope, progress=batch_progress):
        return handlers.run_batch(questions_file, scope, progress)

    def refreshed():
        return picker_updates(handlers.pickers())

    def examples_now():
        return gr.Dataset(samples=[[q] for q in handlers.examples()])

    # ---- layout
    now = handlers.pickers()
    # delete_cache: Gradio's copies of uploads and downloads go after an hour
    with gr.Blocks(title="ReportQA", analytics_enabled=False, delete_cache=(1800, 3600)) as demo:
        gr.Markdown("# ReportQA\nAsk about the situation reports in the index. Every figure comes "
                    "with the report, page and sentence it was read from.")
        saved_chat = gr.BrowserState([], storage_key="reportqa-chat")
        conversation = gr.State(Conversation())  # this session's turns; every event gets the same object
        with gr.Tab("Chat"):
            with gr.Row(elem_id="chat-row"):
                with gr.Column(scale=4, min_width=320):
                    chatbot = gr.Chatbot(show_label=False, height=520, latex_delimiters=[], elem_id="chat",
                                         sanitize_html=True, feedback_options=None, buttons=["copy"],
                                         autoscroll=False)
                    with gr.Row():
                        question = gr.Textbox(placeholder="Ask a question about the reports…",
                                              show_label=False, scale=5, elem_id="question",
                                              autofocus=True, submit_btn=False)
                        send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask", min_width=80)
                    examples = gr.Examples([[q] for q in handlers.examples()], inputs=[question],
                                           label="Example questions (from the indexed reports)", elem_id="examples")
                with gr.Column(scale=3, min_width=320):
                    with gr.Group(elem_id="preview-panel"):
                        preview = gr.HTML('<p class="rq-preview-empty">Choose “show the page” under a '
                                          "citation to see the page here.</p>", elem_id="preview",
                                          js_on_load=None)
                    scope = gr.Dropdown(choices=now.reports, value=[], multiselect=True,
                                        label="Reports to search", elem_id="scope",
                                        info="Leave empty to search all. Type a country, publisher, "
                                             "date or title to find a report.")
                    clear = gr.Button("New chat", elem_id="new-chat")
                    with gr.Accordion("Last answer as JSON", open=False):
                        last_json = gr.JSON(label="Answer")
                    preview_request = gr.Textbox(visible="hidden", elem_id="preview-request")
                    preview_go = gr.Button("Show the page", visible="hidden", elem_id="preview-go")
        with gr.Tab("Facts") as facts_tab:
            with gr.Row():
                f_report = gr.Dropdown(choices=[("All reports", "")] + now.reports, value="",
                                       label="Report", filterable=False, elem_id="facts-report")
                f_unit = gr.Dropdown(choices=[("All units", "")] + [(u, u) for u in now.units], value="",
                                     label="Unit", filterable=False)
                f_sector = gr.Dropdown(choices=[("All sectors", "")] + [(s, s) for s in now.sectors], value="",
                                       label="Sector", filterable=False)
                f_text = gr.Textbox(value="", label="Search text", placeholder="e.g. hygiene kits")
            f_search = gr.Button("Search facts", variant="primary")
            f_count = gr.Markdown()
            f_table = gr.Dataframe(headers=list(FACT_VIEW_COLUMNS), interactive=False, wrap=True,
                                   column_widths=FACT_VIEW_WIDTHS, elem_id="facts-table",
                                   label="Facts (the figure as written, what it counts, where it was found)")
            f_csv = gr.File(label="CSV export of the matching facts (every column)", interactive=False)
        with gr.Tab("Reports"):
            r_table = gr.Dataframe(value=now.rows, headers=list(REPORT_COLUMNS),
                                   interactive=False, wrap=True, column_widths=REPORT_WIDTHS,
                                   elem_id="reports-table", label="Indexed reports")
            r_files = gr.File(file_count="multiple", file_types=list(ALLOWED_SUFFIXES),
                              label=f"Add reports (PDF, TXT, MD; up to {settings.max_upload_mb:g} MB each)",
                              elem_id="upload")
            r_status = gr.Markdown(elem_id="upload-status")
            with gr.Row():
                r_remove_pick = gr.Dropdown(choices=now.reports, value=[], multiselect=True,
                                            label="Remove reports from the index", elem_id="remove-pick", scale=4,
                                            allow_custom_value=True)  # names are checked by remove()
                r_remove = gr.Button("Remove", variant="stop", elem_id="remove", scale=1)
        with gr.Tab("Batch"):
            gr.Markdown("Upload a questions file; get the answers file back, with a score when the "
                        "file holds expected answers. The chat's report choice applies.")
            b_in = gr.File(label="Questions file", file_types=[".txt", ".csv", ".jsonl"], elem_id="batch-in")
            b_run = gr.Button("Answer the questions", variant="primary", elem_id="batch-run")
            b_status = gr.Markdown(elem_id="batch-status")
            b_out = gr.File(label="Answers file", interactive=False, elem_id="batch-out")

        # ---- events
        pickers = [r_table, scope, f_report, f_unit, f_sector, r_remove_pick]
        # Asking is two steps (webchat/conversation.py says why): the question goes into the chat at
        # once, the box emptied in the browser as it is sent (so what the user types next is never
        # wiped), every ask runs (trigger "multiple"); then the answering loop answers every waiting
        # question in order. A loop asked for while one runs is run once after it ("always_last"),
        # and finds whatever the running one left.
        in_turn = dict(concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask", trigger_mode="always_last",
                       show_progress="hidden", api_visibility="private")
        gr.on([question.submit, send.click], handlers.ask, [conversation, question, scope], chatbot,
              js=CLEAR_QUESTION, queue=False, trigger_mode="multiple", show_progress="hidden",
              api_name="chat_question",  # not "ask" from the function's name: that is the API's
              api_visibility="private").then(answer_waiting, conversation, [chatbot, last_json], **in_turn)
        gr.on([clear.click, chatbot.clear], lambda c: (handlers.new_chat(c), None, []), conversation,
              [chatbot, last_json, saved_chat], queue=False, api_visibility="private")  # the button or the bin
        chatbot.change(lambda h: h, chatbot, saved_chat, api_visibility="private")  # kept across reloads
        gr.api(chat, api_name="chat", concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask")
        gr.api(handlers.ask_api, api_name="ask", concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask")
        gr.api(handlers.page_api, api_name="page", concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask")
        preview_go.click(handlers.show_page, preview_request, preview, api_visibility="private",
                         concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask")
        facts_inputs = [f_report, f_unit, f_sector, f_text]
        gr.on([f_search.click, f_text.submit, f_report.input, f_unit.input, f_sector.input], handlers.search_facts,
              facts_inputs, [f_table, f_count, f_csv], api_name="facts")
        facts_tab.select(handlers.search_facts, facts_inputs, [f_table, f_count, f_csv], api_visibility="private")
        r_files.upload(upload, [r_files], [r_status, *pickers, r_files],
                       api_name="upload", concurrency_limit=1, concurrency_id="index").then(
            examples_now, None, examples.dataset, api_visibility="private")
        r_remove.click(remove, [r_remove_pick], [r_status, *pickers], api_name="remove", concurrency_limit=1,
                       concurrency_id="index").then(examples_now, None, examples.dataset, api_visibility="private")
        b_run.click(run_batch, [b_in, scope], [b_out, b_status], api_name="batch", concurrency_limit=1,
                    concurrency_id="batch")
        demo.load(refreshed, None, pickers, api_visibility="private")
        demo.load(handlers.restore_chat, [conversation, saved_chat], chatbot, queue=False,
                  api_visibility="private").then(answer_restored, conversation, [chatbot, last_json], **in_turn)
    return demo


def launch(demo, settings: Settings, **kwargs):
    """Start the app with the settings' address, login and upload limit (kwargs go to launch)."""
    import gradio as gr

    auth = LoginGate(*settings.auth) if settings.auth else None
    options = dict(server_name=settings.host, server_port=settings.port, auth=auth,
                   max_file_size=int(settings.max_upload_mb * 1e6), theme=gr.themes.Soft(), css=CSS, js=APP_JS,
                   ssr_mode=False, show_error=True)
    options.update(kwargs)
    demo.queue(default_concurrency_limit=ASK_CONCURRENCY)  # uploads and batches set 1 themselves
    return demo.launch(**options)
