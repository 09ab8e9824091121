/** What the adapter page needs to know when it is served. */
export interface AdapterPageOptions {
  /** The adapter type of the URL (`?type=`): which session events the page posts. */
  readonly type: 'call' | 'chat'
  /** The agent the page represents; `undefined`: every agent. */
  readonly agentId: number | undefined
  /** Where the agent came from, for the header: the URL, the configuration, or nowhere. */
  readonly agentSource: 'query' | 'config' | 'all'
  /** The event stream to subscribe to (relative to the page). */
  readonly eventsUrl: string
  /** Prefix of the session look-up, `sessions/` + id (relative to the page). */
  readonly sessionsUrl: string
}

/** Embeds a value in an inline script: JSON, with `<` escaped so no `</script>` can close the tag. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

const STYLE = `
:root { color-scheme: light dark; font: 14px/1.4 system-ui, sans-serif; }
body { margin: 0; }
header { padding: 8px 12px; background: #1a73e8; color: #fff; display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
header h1 { font-size: 15px; margin: 0; }
header .status { margin-left: auto; font-size: 12px; }
section { padding: 8px 12px; border-bottom: 1px solid #8884; }
h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; margin: 0 0 4px; opacity: .7; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
dt { opacity: .7; } dd { margin: 0; }
ol { list-style: none; margin: 0; padding: 0; max-height: 60vh; overflow: auto; }
li { display: flex; gap: 8px; padding: 2px 0; border-bottom: 1px dotted #8884; font-family: ui-monospace, monospace; font-size: 12px; }
li time { opacity: .7; } li .sid { opacity: .7; margin-left: auto; }
.empty { opacity: .6; font-style: italic; }
.note { font-size: 12px; opacity: .8; }
`

/*
 * The page script. Kept in plain ES2017 without a build step: it runs as is in any browser the CRM
 * page supports. Events are handled one after another (a promise chain) so the parent receives them
 * in stream order even when a session's kind must first be looked up.
 */
const SCRIPT = `
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('adapter-config').textContent);
  var CALL_ONLY = ['New_Call', 'End_Call', 'Call_Redaction_Started', 'Call_Redaction_Stopped', 'Transfer_Call', 'Agent_Joined_Call'];
  var CHAT_ONLY = ['New_Chat', 'Active_Chat', 'Chat_Inbound_Message', 'Chat_Outbound_Message', 'End_Chat', 'Dismissed_Chat', 'Transfer_Chat', 'Agent_Joined_Chat'];
  var AGENT_ONLY = ['Agent_Login', 'Agent_Logout'];
  var STATE_BY_TYPE = {
    New_Call: 'ringing', New_Chat: 'new', Active_Chat: 'active', Agent_Joined_Call: 'connected', Agent_Joined_Chat: 'active',
    Transfer_Call: 'transferring', Transfer_Chat: 'transferring', End_Call: 'ended', End_Chat: 'ended', Dismissed_Chat: 'dismissed'
  };
  var root = document.documentElement;
  var statusEl = document.getElementById('status');
  var logEl = document.getElementById('log');
  var sessions = {};
  var current = null;
  var chain = Promise.resolve();
  var posted = 0;
  var skipped = 0;

  function setText(id, text) { document.getElementById(id).textContent = text; }

  function lookup(sessionId) {
    var s = sessions[sessionId];
    if (!s) {
      s = sessions[sessionId] = { id: sessionId, kind: null, info: null, state: '', fetched: null };
    }
    if (!s.fetched) {
      s.fetched = fetch(cfg.sessionsUrl + encodeURIComponent(sessionId), { headers: { accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (info) { if (info) { s.info = info; s.kind = s.kind || info.kind; } return s; })
        .catch(function () { return s; });
    }
    return s;
  }

  function kindFromType(type, data) {
    if (CALL_ONLY.indexOf(type) >= 0) return 'call';
    if (CHAT_ONLY.indexOf(type) >= 0) return 'chat';
    if (data && data.call_id != null) return 'call';
    if (data && data.chat_id != null) return 'chat';
    return null;
  }

  function renderSession() {
    var s = current && sessions[current];
    if (!s) return;
    setText('s-id', String(s.id));
    setText('s-kind', s.kind || '?');
    var info = s.info;
    setText('s-user', info && info.endUser ? info.endUser.name + (info.endUser.phone ? ' (' + info.endUser.phone + ')' : '') : '?');
    setText('s-queue', info && info.queue ? info.queue.path + ' (#' + info.queue.id + ')' : '?');
    setText('s-state', s.state || (info ? info.state : '?'));
  }

  function log(message, event, note) {
    var empty = document.getElementById('log-empty');
    if (empty) empty.remove();
    var li = document.createElement('li');
    var time = document.createElement('time');
    time.dateTime = message.at;
    time.textContent = message.at.slice(11, 19);
    var type = document.createElement('b');
    type.textContent = event.type;
    var sid = document.createElement('span');
    sid.className = 'sid';
    sid.textContent = (note ? note + ' · ' : '') + 'session ' + message.sessionId + (message.agentId != null ? ' · agent ' + message.agentId : '');
    li.appendChild(time); li.appendChild(type); li.appendChild(sid);
    li.dataset.type = event.type;
    if (note) li.style.opacity = '0.5';
    logEl.insertBefore(li, logEl.firstChild);
    while (logEl.children.length > 500) logEl.removeChild(logEl.lastChild);
  }

  function handle(message) {
    var event = message.payload;
    if (!event || typeof event.type !== 'string') return Promise.resolve();
    if (AGENT_ONLY.indexOf(event.type) >= 0) { post(message, event); return Promise.resolve(); }
    var s = lookup(message.sessionId);
    var kind = kindFromType(event.type, event.data);
    if (kind && !s.kind) s.kind = kind;
    return s.fetched.then(function () {
      var decided = s.kind;
      if (STATE_BY_TYPE[event.type]) s.state = STATE_BY_TYPE[event.type];
      if (decided === cfg.type) { current = message.sessionId; post(message, event); }
      else { skipped += 1; log(message, event, 'not posted (' + (decided || 'unknown') + ' session)'); }
      renderSession();
      showCounts();
    });
  }

  function post(message, event) {
    // Exactly as the platform's adapter: the parent receives the event as a JSON string.
    window.parent.postMessage(JSON.stringify(event), '*');
    posted += 1;
    root.dataset.posted = String(posted);
    log(message, event, '');
    showCounts();
  }

  function showCounts() { setText('counts', posted + ' posted' + (skipped ? ', ' + skipped + ' not posted' : '')); }

  function onMessage(e) {
    var message;
    try { message = JSON.parse(e.data); } catch (err) { return; }
    chain = chain.then(function () { return handle(message); }).catch(function () {});
  }

  var source = new EventSource(cfg.eventsUrl);
  source.addEventListener('open', function () {
    root.dataset.ready = 'true';
    statusEl.textContent = 'connected';
  });
  source.addEventListener('error', function () {
    root.dataset.ready = 'false';
    statusEl.textContent = source.readyState === 2 ? 'disconnected' : 'reconnecting…';
  });
  source.addEventListener('adapter', onMessage);
  source.addEventListener('vta', onMessage);
})();
`

/** The agent adapter page: inline CSS and JS only, so it works offline and inside any CRM frame. */
export function adapterPageHtml(options: AdapterPageOptions): string {
  const agentText =
    options.agentSource === 'all'
      ? 'all agents (no ?agent= in the URL and no adapter.agentId configured)'
      : `${options.agentId ?? ''}${options.agentSource === 'config' ? ' (from adapter.agentId)' : ''}`
  const config = {
    type: options.type,
    agentId: options.agentId ?? null,
    eventsUrl: options.eventsUrl,
    sessionsUrl: options.sessionsUrl,
  }
  return `<!doctype html>
<html lang="en" data-ready="false" data-posted="0">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ccai-sim agent adapter (${options.type})</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>Agent adapter · ${options.type}</h1>
  <span>Agent: <span id="agent">${escapeHtml(agentText)}</span></span>
  <span class="status" id="status">connecting…</span>
</header>
<section aria-labelledby="session-h">
  <h2 id="session-h">Current session</h2>
  <dl>
    <dt>Id</dt><dd id="s-id">none yet</dd>
    <dt>Kind</dt><dd id="s-kind"></dd>
    <dt>End user</dt><dd id="s-user"></dd>
    <dt>Queue</dt><dd id="s-queue"></dd>
    <dt>State</dt><dd id="s-state"></dd>
  </dl>
</section>
<section aria-labelledby="log-h">
  <h2 id="log-h">Events (newest first) · <span id="counts">0 posted</span></h2>
  <p class="note">Each ${options.type} event is posted to the parent window as a JSON string, as the platform does.</p>
  <ol id="log"><li id="log-empty" class="empty">Waiting for events…</li></ol>
</section>
<script type="application/json" id="adapter-config">${scriptJson(config)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`
}
