// Installations: the connectors an end user has installed and signed in.
export function renderInstallations(el) {
  el.replaceChildren();
  const h = document.createElement('h2');
  h.textContent = 'Installations';
  const p = document.createElement('p');
  p.className = 'empty';
  p.textContent = 'Nothing is installed yet.';
  el.append(h, p);
}
