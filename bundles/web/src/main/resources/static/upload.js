'use strict';
// The upload check: each chosen image is POSTed as the request body to /api/upload/inspect and the
// model's answer is shown beside it (top 5 classes, or the boxes drawn on the image).
const el = LS.el;

async function loadModels() {
  const r = await fetch('/api/upload/models', { headers: LS.headers() });
  const body = await LS.json(r);
  const select = document.getElementById('model');
  if (!r.ok) { LS.show('models cannot be listed: ' + body.error, true); return; }
  select.replaceChildren(...body.map(m => el('option', { value: m.id, text: m.id + ' (' + m.task + ', ' + m.origin + ')' })));
  if (!body.length) LS.show('no model package is offered: configure uploadPackages in io.linesight.web', true);
}

function drawBoxes(canvas, image, boxes) {
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const g = canvas.getContext('2d');
  g.drawImage(image, 0, 0);
  g.lineWidth = Math.max(2, canvas.width / 200);
  g.strokeStyle = 'yellow';
  g.fillStyle = 'yellow';
  g.font = Math.max(12, canvas.width / 40) + 'px sans-serif';
  for (const b of boxes) {
    g.strokeRect(b.x1, b.y1, b.x2 - b.x1, b.y2 - b.y1);
    g.fillText(b.label + ' ' + b.confidence.toFixed(2), b.x1 + 2, Math.max(b.y1 - 4, 12));
  }
}

function resultView(file, answer) {
  const image = el('img', { class: 'upload-image', alt: file.name });
  image.src = URL.createObjectURL(file);
  const r = answer.result;
  if (r.task === 'DETECT') {
    const canvas = el('canvas', { class: 'upload-image' });
    image.addEventListener('load', () => drawBoxes(canvas, image, r.boxes));
    return [canvas, el('p', { class: 'boxes', text: r.boxes.length + ' object(s): ' + r.boxes.map(b => b.label + ' ' + b.confidence.toFixed(2)).join(', ') })];
  }
  return [image, el('table', { class: 'top5' }, ...r.top.map((s, i) => el('tr', { class: i === 0 ? 'best' : '' },
    el('td', { class: 'label', text: s.label }), el('td', { class: 'probability', text: (s.probability * 100).toFixed(1) + ' %' }),
    el('td', {}, el('span', { class: 'bar', style: 'width:' + Math.round(s.probability * 100) + 'px' })))))];
}

async function checkOne(model, file) {
  const box = el('section', { class: 'result', 'data-file': file.name }, el('h3', { text: file.name }), el('p', { text: 'checking…' }));
  document.getElementById('results').prepend(box);
  const url = '/api/upload/inspect?model=' + encodeURIComponent(model) + '&name=' + encodeURIComponent(file.name);
  const r = await fetch(url, { method: 'POST', headers: LS.headers({ 'Content-Type': file.type || 'application/octet-stream' }), body: file });
  const answer = await LS.json(r);
  if (!r.ok) {
    box.classList.add('failed');
    box.replaceChildren(el('h3', { text: file.name }), el('p', { class: 'error', text: 'refused (' + r.status + '): ' + answer.error }));
    return;
  }
  box.replaceChildren(el('h3', { text: file.name + ' · ' + answer.model.name + ' ' + answer.model.version + ' · ' + answer.inferenceMs + ' ms' }),
    ...resultView(file, answer));
}

document.getElementById('upload-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  LS.show('', false);
  const model = document.getElementById('model').value;
  for (const file of document.getElementById('files').files) await checkOne(model, file);
});
loadModels();
