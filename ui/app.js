// @ts-check
import * as api from './api.js';
import { codeSpans, h } from './components/dom.js';
import { leaveForm } from './components/drafts.js';
import { gateAll } from './components/keychain-gate.js';
import { watchInstallLinks } from './views/install-link.js';
import { renderLibrary } from './views/library.js';

/** @import {About, AppState, ConnectorView, KeychainStatus} from './types.js' */

// The first screen's modules load with the page; the Installations view (and its
// forms and methods panel) when it is first shown. The Library is given the entries when
// they were just read (the first screen).
/** @type {Record<string, {el: HTMLElement, render: (el: HTMLElement, state: AppState, listed?: ConnectorView[]) => Promise<void>}>} */
const views = {
  library: {
    el: /** @type {HTMLElement} */ (document.getElementById('view-library')),
    render: (el, state, listed) => renderLibrary(el, state, undefined, undefined, listed),
  },
  installations: {
    el: /** @type {HTMLElement} */ (document.getElementById('view-installations')),
    render: async (el, state) => (await import('./views/installations.js')).renderInstallations(el, state),
  },
};
const tabs = [.../** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[role="tab"]'))];

// A form the user has typed in (or ticked scopes in) is marked dirty until a view
// replaces it, so that leaving it (a tab switch, Back, Escape: drafts.js) doesn't
// silently throw the work away. Searching, or choosing an auth type, is no work to lose.
for (const type of ['input', 'change']) {
  /** @type {HTMLElement} */ (document.querySelector('main')).addEventListener(type, (e) => {
    const form = /** @type {Element} */ (e.target).closest?.('form');
    if (form && !(/** @type {Element} */ (e.target).matches('input[type=search], input[type=radio]'))) form.dataset.dirty = '';
  });
}

/**
 * Shows a view (rendering it afresh). When the shown view holds a half-filled form,
 * asks first; staying puts focus back on the tab that is still selected (the arrow keys moved it).
 * @param {string} name a key of `views`
 */
function show(name) {
  const shown = Object.values(views).find((v) => !v.el.hidden);
  if (!shown) {
    render(name);
    return;
  }
  leaveForm(
    shown.el,
    () => render(name),
    () => tabs.find((t) => t.getAttribute('aria-selected') === 'true')?.focus(),
  );
}

/**
 * @param {string} name a key of `views`
 * @param {ConnectorView[]} [listed] the Library's entries, just read
 */
function render(name, listed) {
  for (const tab of tabs) {
    const selected = tab.dataset.view === name;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }
  for (const [key, view] of Object.entries(views)) view.el.hidden = key !== name;
  return views[name].render(views[name].el, state, listed);
}

// Tabs follow the WAI-ARIA pattern: click, or arrow keys to move between them.
for (const tab of tabs) {
  tab.addEventListener('click', () => show(/** @type {string} */ (tab.dataset.view)));
  tab.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = tabs.indexOf(tab);
    const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    next.focus();
    show(/** @type {string} */ (next.dataset.view));
  });
}

// Long forms keep their title bar (Back and the primary action) under the sticky header,
// whose height changes as it wraps in a narrow window.
const header = /** @type {HTMLElement} */ (document.querySelector('.app-header'));
// Rounded down: offsetHeight rounds a fractional height up as often as down, and a bar stuck
// below a header half a pixel short showed a strip of the text scrolling under them.
new ResizeObserver(() =>
  document.documentElement.style.setProperty('--header-height', `${Math.floor(header.getBoundingClientRect().height)}px`),
).observe(header);

/** @type {AppState} */
const state = { keychain: null };

/** @param {KeychainStatus} status */
function showKeychain(status) {
  state.keychain = status;
  // The status can arrive after a view has rendered its buttons.
  gateAll(document, status);
  const line = /** @type {HTMLElement} */ (document.getElementById('keychain-status'));
  const banner = /** @type {HTMLElement} */ (document.getElementById('banner'));
  const error = status.error;
  if (!error) {
    line.textContent = 'Keychain: available';
    line.dataset.state = 'ok';
    banner.hidden = true;
    return;
  }
  line.textContent = 'Keychain: unavailable';
  line.dataset.state = 'error';
  banner.replaceChildren();
  // The core's texts mark commands with backticks: shown as <code>, never parsed as markup.
  // The ids let disabled buttons point here for their reason (keychain-gate.js).
  const title = h('strong', { id: 'keychain-reason' }, 'Secrets can\u2019t be stored: ', codeSpans(error.message));
  const hint = h('p', { id: 'keychain-hint' }, codeSpans(error.hint), ' Until then, saving secrets and signing in are disabled.');
  const again = document.createElement('button');
  again.type = 'button';
  again.id = 'keychain-recheck';
  again.textContent = 'Check again';
  again.addEventListener('click', async () => {
    again.disabled = true;
    again.textContent = 'Checking\u2026';
    showKeychain(await api.keychainStatus());
    // Re-render the shown view so its secret fields follow the new status (asks first if a form is half-filled).
    show(/** @type {string} */ (/** @type {HTMLElement} */ (tabs.find((t) => t.getAttribute('aria-selected') === 'true')).dataset.view));
  });
  const detail = error.detail
    ? h('details', { id: 'keychain-detail' }, h('summary', {}, 'Technical detail'), h('code', {}, error.detail))
    : null;
  banner.append(.../** @type {HTMLElement[]} */ ([title, hint, detail, again].filter(Boolean)));
  banner.dataset.code = error.code;
  banner.hidden = false;
}

/** @param {About} info */
function showNotices(info) {
  const box = /** @type {HTMLElement} */ (document.getElementById('notices'));
  box.replaceChildren();
  for (const n of info.notices) {
    const p = document.createElement('p');
    p.dataset.code = n.code;
    p.textContent = n.message;
    box.append(p);
  }
  box.hidden = info.notices.length === 0;
}

async function start() {
  // The shell is static HTML, painted already; the data arrives in parallel and fills it in.
  // A form asks state.keychain when it opens, so the first screen need not wait for the keychain.
  // The header's two calls go out before the view's: commands are answered in turn.
  const info = api.appInfo().then((i) => {
    /** @type {HTMLElement} */ (document.getElementById('app-version')).textContent = 'v' + i.version;
    showNotices(i);
  });
  const keychain = api.keychainStatus().then(showKeychain);
  // Anything installed, or set up already (a shared entry, or a managed one with nothing left
  // to enter here): what an end user comes back for is Installations. Otherwise the Library,
  // which on a first run asks "Which one are you?" (so does Installations). Both come with the page.
  // A list that could not be read is left to the Library, which asks again and shows why.
  const [connectors, installed] = await Promise.all([
    api.libraryList().catch(() => undefined),
    api.installationCount().catch(() => undefined),
  ]);
  state.installed = installed;
  const setUp = (connectors ?? []).some(
    (c) => c.mode === 'shared' || (c.mode === 'managed' && (c.entry.auth_type !== 'legacy' || c.entry.has_secret)),
  );
  // Nothing is shown yet, so there is no form to ask about: the view is rendered at once,
  // the Library with the entries just read (one command fewer before it is complete).
  const shown = render(installed || setUp ? 'installations' : 'library', connectors);
  await Promise.all([info, keychain]);
  // The first screen is complete: benchmarks read this mark (spawn -> ready).
  performance.mark('first-screen-ready');
  // An install link opens its Install form over the first screen, once that is drawn.
  await shown;
  watchInstallLinks(state);
}

start();
