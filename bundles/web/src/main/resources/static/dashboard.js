'use strict';
// The dashboard: one snapshot per stream update (GET /api/stream, server-sent events read with fetch so
// the token can travel in a header), rendered without a page reload.
const cards = new Map(); // line id -> { root, body, img, frameSeq, modelKey, history }
const el = LS.el;

function short(sha) { return sha ? sha.substring(0, 12) : ''; }
function num(v, d) { return (v === null || v === undefined) ? '–' : Number(v).toFixed(d); }

function card(line) {
  let c = cards.get(line.id);
  if (!c) {
    const img = el('img', { class: 'frame', id: 'frame-' + line.id, alt: 'last inspected frame of line ' + line.id });
    img.hidden = true;
    const noFrame = el('p', { class: 'no-frame', text: 'no frame yet' });
    const body = el('div', { class: 'line-body' });
    const history = el('div', { class: 'history' });
    const root = el('article', { class: 'line', id: 'line-' + line.id }, el('div', { class: 'frame-box' }, img, noFrame), body, history);
    document.getElementById('lines').append(root);
    c = { root, body, img, noFrame, history, frameSeq: -1, modelKey: null, lastFrameAt: 0 };
    cards.set(line.id, c);
  }
  return c;
}

function counters(line) {
  const k = line.counters;
  const drops = Object.entries(k.dropped).map(([cause, n]) => cause.toLowerCase() + ' ' + n).join(', ');
  return el('table', { class: 'counters' },
    el('tr', {}, el('th', { text: 'inspected' }), el('td', { class: 'inspected', text: String(k.inspected) })),
    el('tr', {}, el('th', { text: 'pass' }), el('td', { class: 'pass', text: String(k.pass) })),
    el('tr', {}, el('th', { text: 'reject' }), el('td', { class: 'reject', text: String(k.reject) })),
    el('tr', {}, el('th', { text: 'review' }), el('td', { class: 'review', text: String(k.review) })),
    el('tr', {}, el('th', { text: 'dropped' }), el('td', { class: 'dropped', text: k.droppedTotal + (k.droppedTotal ? ' (' + drops + ')' : '') })));
}

function renderLine(line) {
  const c = card(line);
  const m = line.model;
  c.body.replaceChildren(
    el('h2', {}, 'Line ' + line.id + ' ', el('span', { class: 'state state-' + line.state, text: line.state })),
    line.stateDetail ? el('p', { class: line.state === 'RUNNING' ? 'detail quiet' : 'detail', text: line.stateDetail }) : null,
    el('p', { class: 'camera', text: 'Camera ' + line.camera.sourceId + ' · ' + line.camera.state }),
    el('p', { class: 'model', text: m ? 'Model ' + m.name + ' ' + m.version + ' · sha256 ' + short(m.sha256) : 'No model loaded' }),
    el('p', { class: 'rates', text: num(line.framesPerSecond, 1) + ' frames/s · latency p50 ' + num(line.latencyMs.p50, 1)
      + ' ms, p95 ' + num(line.latencyMs.p95, 1) + ' ms' }),
    counters(line),
    el('ol', { class: 'recent' }, ...line.recent.map(v => el('li', { class: 'verdict-' + v.verdict,
      text: '#' + v.sequence + ' ' + v.verdict + ' ' + v.summary }))),
    el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'reset', onclick: () => change(line.id, 'reset', {}) }, 'Reset counters')));
  if (line.frame && line.frame.sequence !== c.frameSeq && Date.now() - c.lastFrameAt >= 450) {
    c.frameSeq = line.frame.sequence;
    c.lastFrameAt = Date.now();
    c.img.src = line.frame.url;
    c.img.hidden = false;
    c.noFrame.hidden = true;
  }
  const key = m ? m.name + '@' + m.version + '@' + m.sha256 : '';
  if (key !== c.modelKey) {
    c.modelKey = key;
    loadHistory(line.id);
  }
}

async function loadHistory(lineId) {
  const c = cards.get(lineId);
  const r = await fetch('/api/lines/' + encodeURIComponent(lineId) + '/history', { headers: LS.headers() });
  const body = await LS.json(r);
  const rollback = el('button', { type: 'button', class: 'rollback', onclick: () => rollbackLine(lineId) }, 'Roll back');
  if (!r.ok) {
    c.history.replaceChildren(el('h3', { text: 'Model history' }), el('p', { class: 'detail', text: body.error }), rollback);
    return;
  }
  const rows = body.slice(-10).reverse().map(a => el('tr', {}, el('td', { text: String(a.sequence) }),
    el('td', { text: (a.time || '').replace('T', ' ').substring(0, 19) }), el('td', { text: a.action }),
    el('td', { text: a.model }), el('td', { text: a.previous || '' }), el('td', { text: a.actor }), el('td', { text: a.reason })));
  c.history.replaceChildren(el('h3', { text: 'Model history' }),
    el('table', {}, el('thead', {}, el('tr', {}, ...['#', 'time', 'action', 'model', 'previous', 'by', 'reason'].map(h => el('th', { text: h })))),
      el('tbody', {}, ...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '7', text: 'no activations yet' }))]))),
    rollback);
}

async function change(lineId, action, body) {
  if (!LS.token() && !LS.askToken('This change needs a token.')) {
    LS.show(action + ' cancelled: no token entered', true);
    return null;
  }
  const r = await fetch('/api/lines/' + encodeURIComponent(lineId) + '/' + action, {
    method: 'POST', headers: LS.headers({ 'Content-Type': 'application/json' }), body: JSON.stringify(body) });
  const answer = await LS.json(r);
  if (r.status === 401) LS.forgetToken();
  LS.show(r.ok ? action + ' on line ' + lineId + ': done' : action + ' refused (' + r.status + '): ' + answer.error, !r.ok);
  return r.ok ? answer : null;
}

async function rollbackLine(lineId) {
  const reason = window.prompt('Roll back line ' + lineId + ' to its previous model. Reason:', 'rolled back from the dashboard');
  if (reason === null) return;
  if (await change(lineId, 'rollback', { reason })) loadHistory(lineId);
}

// An alarm is shown while active or not yet acknowledged (a missed reject stays until someone acknowledges it).
function renderAlarms(snapshot) {
  const box = document.getElementById('alarms');
  box.replaceChildren(...snapshot.alarms.map(a => el('div', { class: 'alarm' + (a.active ? '' : ' alarm-cleared') + (a.acknowledged ? ' alarm-acknowledged' : '') },
    el('strong', { text: '#' + a.id + ' ' + a.kind.replaceAll('_', ' ') + ' · ' + a.source }), ' ',
    (a.occurrences > 1 ? a.occurrences + ' times, last: ' : '') + a.message + ' ',
    el('span', { class: 'alarm-state', text: (a.active ? 'ACTIVE' : 'cleared') + (a.acknowledged ? ' · acknowledged by ' + a.acknowledgedBy : ' · unacknowledged') }),
    a.acknowledged ? '' : el('button', { class: 'ack', 'data-alarm': String(a.id), text: 'Acknowledge', onclick: () => acknowledge(a.id) }))));
  box.hidden = snapshot.alarms.length === 0;
}

async function acknowledge(id) {
  if (!LS.token() && !LS.askToken('Acknowledging an alarm needs a token.')) {
    LS.show('acknowledge cancelled: no token entered', true);
    return;
  }
  const r = await fetch('/api/alarms/' + id + '/ack', { method: 'POST', headers: LS.headers({}) });
  const answer = await LS.json(r);
  if (r.status === 401) LS.forgetToken();
  LS.show(r.ok ? 'alarm #' + id + ' acknowledged' : 'acknowledge refused (' + r.status + '): ' + answer.error, !r.ok);
}

function renderOutputs(snapshot) {
  document.querySelector('#outputs tbody').replaceChildren(...snapshot.outputs.map(o => el('tr', { class: 'output-' + o.state },
    el('td', { text: o.id }), el('td', { text: o.kind }), el('td', { text: o.target }), el('td', { text: o.state }), el('td', { text: o.detail }))));
}

function renderEvents(snapshot) {
  document.getElementById('events').replaceChildren(...snapshot.events.map(e => el('li', { class: e.alarm ? 'event-alarm' : '' },
    (e.time || '').replace('T', ' ').substring(0, 19) + ' ' + e.kind + ' ' + e.source + ': ' + e.message)));
}

function render(snapshot) {
  snapshot.lines.forEach(renderLine);
  for (const [id, c] of cards) {
    if (!snapshot.lines.some(l => l.id === id)) { c.root.remove(); cards.delete(id); }
  }
  renderAlarms(snapshot);
  renderOutputs(snapshot);
  renderEvents(snapshot);
  document.getElementById('connection').textContent = 'live · ' + snapshot.time.replace('T', ' ').substring(0, 19);
  document.getElementById('connection').className = 'connection live';
}

// Server-sent events over fetch: parse "event:" / "data:" blocks separated by a blank line.
async function stream() {
  const status = document.getElementById('connection');
  try {
    const r = await fetch('/api/stream', { headers: LS.headers(), cache: 'no-store' });
    if (!r.ok) {
      const body = await LS.json(r);
      if (r.status === 401) LS.forgetToken();
      throw new Error(body.error || 'HTTP ' + r.status);
    }
    const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.substring(0, cut);
        buffer = buffer.substring(cut + 2);
        const data = block.split('\n').filter(l => l.startsWith('data: ')).map(l => l.substring(6)).join('\n');
        if (data && /^event: snapshot$/m.test(block)) render(JSON.parse(data));
      }
    }
    throw new Error('the stream ended');
  } catch (e) {
    status.textContent = 'disconnected: ' + e.message + ' (retrying)';
    status.className = 'connection down';
    setTimeout(stream, 2000);
  }
}

document.getElementById('token-button').addEventListener('click', () => {
  if (LS.askToken()) { LS.show('token kept for this tab', false); }
});
stream();
