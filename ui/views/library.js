// Connector Library: where a partner admin sets up each connector once.
export function renderLibrary(el) {
  el.replaceChildren();
  const h = document.createElement('h2');
  h.textContent = 'Connector Library';
  const p = document.createElement('p');
  p.className = 'empty';
  p.textContent = 'No connectors are set up yet.';
  el.append(h, p);
}
