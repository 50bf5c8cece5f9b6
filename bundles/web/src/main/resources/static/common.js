'use strict';
// Shared helpers: DOM building without innerHTML (server text is never interpreted as HTML) and the
// bearer token, kept for this browser tab only (sessionStorage), sent in the Authorization header.
const LS = {
  el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v;
      else if (k === 'style') e.style.cssText = v; // CSSOM: allowed by the pages' Content-Security-Policy
      else if (k.startsWith('on')) e.addEventListener(k.substring(2), v); else e.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  },
  token() { return sessionStorage.getItem('linesight.token'); },
  askToken(why) {
    const t = window.prompt((why ? why + '\n' : '') + 'Bearer token (kept in this tab only):');
    if (t) sessionStorage.setItem('linesight.token', t.trim());
    return t ? t.trim() : null;
  },
  forgetToken() { sessionStorage.removeItem('linesight.token'); },
  headers(extra) {
    const h = Object.assign({}, extra || {});
    const t = LS.token();
    if (t) h['Authorization'] = 'Bearer ' + t;
    return h;
  },
  show(text, isError) {
    const m = document.getElementById('message');
    m.textContent = text;
    m.className = 'message' + (isError ? ' error' : ' ok');
    m.hidden = !text;
  },
  async json(response) {
    try { return await response.json(); } catch (e) { return { error: 'HTTP ' + response.status }; }
  },
};
