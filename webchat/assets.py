"""The page's own CSS and browser-side script: strings in, handed to Gradio's launch().

Data only; `webchat/ui.py` passes them to `launch()`."""

CSS = """
mark { background: #ffe066; color: inherit; padding: 0 .1em; border-radius: 2px; }
details.rq-source { margin: .3em 0; }
details.rq-source summary { cursor: pointer; }
details.rq-source blockquote { margin: .3em 0 .3em .5em; padding-left: .6em; border-left: 3px solid #ccc; }
span.rq-waiting { color: #666; font-style: italic; animation: rq-pulse 1.4s ease-in-out infinite; }
@keyframes rq-pulse { 50% { opacity: .35; } }
#chat .message-row:has(.rq-waiting) + .message-buttons { visibility: hidden; }  /* nothing to copy yet */
small.rq-assumed { display: block; color: #555; font-style: italic; }
a.rq-page { cursor: pointer; }
#preview img { width: 100%; height: auto; border: 1px solid #ddd; }
#preview { max-height: 640px; overflow: auto; }
#preview .rq-preview-head { font-weight: 600; margin: .2em 0 .4em; }
#preview pre.rq-page-text { white-space: pre-wrap; font-size: .85em; max-height: 600px; overflow: auto; }
#preview mark.rq-sentence { background: #ffe066; }
#facts-table td, #reports-table td { word-break: break-word; }
@media (max-width: 640px) {
  #chat-row { flex-direction: column; }
  #facts-table table { font-size: .85em; }
}
"""
# Browser-side helpers (run once when the page loads):
# - a new answer shows from its first line: the chat scrolls to the top of the answer that just came
#   (the Chatbot's own autoscroll, which jumps to the end of a long answer, is off), and to a question's
#   "Answering…" line as it is asked;
# - "show the page" under a citation asks the server for that page (hidden textbox + button) and
#   brings the preview into view;
# - the copy button of a message copies plain text: the answer, then each citation with its quote.
APP_JS = r"""
() => {
  const chat = () => document.querySelector('#chat');
  const lastBot = () => { const rows = document.querySelectorAll('#chat .message-row.bot-row');
                          return rows.length ? rows[rows.length - 1] : null; };
  const scroller = (el) => { for (let p = el && el.parentElement; p; p = p.parentElement) {
      const st = getComputedStyle(p);
      if (/(auto|scroll)/.test(st.overflowY) && p.scrollHeight > p.clientHeight) return p; }
    return null; };
  let seenRows = 0, seenAnswers = 0;
  const showLatest = () => {
    const rows = [...document.querySelectorAll('#chat .message-row.bot-row')];
    const answers = rows.filter((r) => !r.querySelector('.rq-waiting'));
    // the newest answer when one has come, else a question just asked (its "Answering…" line)
    const bot = answers.length > seenAnswers ? answers[answers.length - 1]
      : rows.length > seenRows ? rows[rows.length - 1] : null;
    seenRows = rows.length; seenAnswers = answers.length;
    if (!bot) return;
    const box = scroller(bot);
    if (box) box.scrollTop += bot.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
    const r = bot.getBoundingClientRect();
    if (r.top < 0 || r.top > window.innerHeight * 0.6) window.scrollBy(0, r.top - 8);
  };
  new MutationObserver(() => requestAnimationFrame(showLatest))
    .observe(document.body, {childList: true, subtree: true});

  document.addEventListener('click', (ev) => {
    const link = ev.target.closest && ev.target.closest('a.rq-page');
    if (!link) return;
    ev.preventDefault(); ev.stopPropagation();
    const m = /#rq-page=([^/]+)\/(\d+)/.exec(link.getAttribute('href') || '');
    if (!m) return;
    const quoteEl = link.closest('blockquote');
    let quote = '';
    if (quoteEl) { const c = quoteEl.cloneNode(true); c.querySelectorAll('small').forEach(s => s.remove());
                   quote = c.textContent.trim(); }
    const mark = quoteEl && quoteEl.querySelector('mark');
    const ask = {report: decodeURIComponent(m[1]), page: +m[2], quote: quote,
                 figure: mark ? mark.textContent.trim() : ''};
    const box = document.querySelector('#preview-request textarea');
    box.value = JSON.stringify(ask);
    box.dispatchEvent(new Event('input', {bubbles: true}));
    setTimeout(() => { document.querySelector('#preview-go').click();
                       document.querySelector('#preview').scrollIntoView({block: 'start'}); }, 50);
  }, true);

  const plain = (row) => {
    const msg = row.querySelector('.message-content, .prose') || row;
    const c = msg.cloneNode(true);
    const cites = [];
    c.querySelectorAll('details.rq-source').forEach((d) => {
      const head = (d.querySelector('summary') || d).textContent.trim();
      const q = d.querySelector('blockquote');
      let quote = '';
      if (q) { const qc = q.cloneNode(true); qc.querySelectorAll('small').forEach(s => s.remove());
               quote = qc.textContent.trim(); }
      cites.push(quote ? `${head}: "${quote}"` : head);
      d.remove();
    });
    c.querySelectorAll('button, svg').forEach(b => b.remove());
    const text = c.innerText.replace(/Closest evidence:\s*$/, '').trim();
    return cites.length ? text + '\n\n' + cites.join('\n') : text;
  };
  document.addEventListener('click', (ev) => {
    const btn = ev.target.closest && ev.target.closest('#chat button');
    if (!btn || !/copy/i.test((btn.getAttribute('aria-label') || '') + ' ' + (btn.title || '') +
                               ' ' + btn.className)) return;
    // the message's buttons sit after it: its message is the last one before the button
    const rows = [...document.querySelectorAll('#chat .message-row')].filter(
      (r) => r.compareDocumentPosition(btn) & Node.DOCUMENT_POSITION_FOLLOWING);
    const row = rows[rows.length - 1];
    if (!row) return;
    ev.preventDefault(); ev.stopImmediatePropagation();
    const text = plain(row);
    window.__rqCopied = text;
    if (navigator.clipboard) navigator.clipboard.writeText(text).catch(() => {});
  }, true);
}
"""

# Runs in the browser as a question is sent, before the server sees it: empties the question box there
# and then, so the box is ready for the next question at once and nothing typed after the send is
# wiped by a late reply. It hands the inputs on unchanged (conversation, question, scope).
CLEAR_QUESTION = r"""
(conversation, question, scope) => {
  const box = document.querySelector('#question textarea');
  if (box && question && box.value === question) {
    box.value = '';
    box.dispatchEvent(new Event('input', {bubbles: true}));
  }
  return [conversation, question, scope];
}
"""
