// @ts-check
// Connector Library: where a partner admin sets up each connector once
// (Shared app) or leaves it blank (Bring your own app). Rendered from the
// connector manifests, so a new connector needs no change here.
//
// In parts: the page's frame, what it opens with (a first run's role choice, or the way to
// Installations) and the Install buttons here; one connector's card in library-card.js;
// Export and Import (one dialog) in library-transfer.js.

/** @import {AppState, ConnectorView} from '../types.js' */

import * as api from '../api.js';
import { h, put } from '../components/dom.js';
import { showError } from '../components/errors.js';
import { needsKeychain } from '../components/keychain-gate.js';
import { isFirstRun, roleChoice, setUpButtons } from './role-choice.js';
import { connectorCard } from './library-card.js';
import { renderEntryForm } from './library-on-demand.js';

/**
 * What the view's parts share: where it is drawn, its status and error, and the way back to
 * a fresh Library.
 * @typedef {object} LibraryView
 * @property {HTMLElement} el
 * @property {AppState} state
 * @property {HTMLElement} status
 * @property {HTMLElement} error
 * @property {boolean} firstRun on a first run the role choice holds the primary actions
 * @property {(message: string, saved?: string) => void} back
 */

/**
 * @param {HTMLElement} el
 * @param {AppState} state
 * @param {string} [flash] the outcome of what sent the user here
 * @param {string} [saved] the connector whose entry was just saved: offer to install it now
 * @param {ConnectorView[]} [listed] the entries, when the caller has just read them (the first screen)
 */
export async function renderLibrary(el, state, flash, saved, listed) {
  const status = h('p', { id: 'library-status', class: 'status', role: 'status', 'aria-live': 'polite' }, flash ?? '');
  const error = h('div', { id: 'library-error', class: 'error', role: 'alert', hidden: true });
  const list = h('ul', { class: 'cards', 'aria-label': 'Connectors' });
  const intro = h('p', { class: 'muted' }, 'Set up each connector once for everyone, or leave it blank so each user brings their own app.');
  // A saved entry's next step is an install: Installations opens its Install form (installations.js).
  const installNow = saved ? installButton(state, saved, 'install-now', 'Install it now') : null;
  put(el, h('h2', {}, 'Connector Library'), intro, status, installNow, error, list);
  installNow?.focus();
  let connectors;
  try {
    // Awaited even when given: the view is then complete within this task, before a paint.
    connectors = await (listed ?? api.libraryList());
  } catch (err) {
    showError(error, err);
    return;
  }
  /** @type {LibraryView['back']} */
  const back = (message, saved) => renderLibrary(el, state, message, saved);
  // "Set up the Connector Library" on Installations sent the user here: straight to the form.
  const setUpNow = connectors.find((c) => c.manifest.id === state.setUpNext && c.mode !== 'managed');
  delete state.setUpNext;
  if (setUpNow) return renderEntryForm(el, state, setUpNow.manifest, setUpNow.entry, null, back);
  /** @type {LibraryView} */
  const view = { el, state, status, error, firstRun: isFirstRun(connectors, state), back };
  const opening = openingLine(view, connectors);
  if (opening) intro.after(opening);
  for (const c of connectors) list.append(connectorCard(view, c));
}

/**
 * What the page opens with under its intro, if anything. A first run is asked here too: a
 * first launch opens on this tab, and an end user must not start with an admin's form.
 * @param {LibraryView} view
 * @param {ConnectorView[]} connectors
 */
function openingLine(view, connectors) {
  const { el, state, back } = view;
  if (view.firstRun) {
    const openForm = (/** @type {ConnectorView} */ c) => renderEntryForm(el, state, c.manifest, c.entry, null, back);
    const install = connectors.map((c) =>
      installButton(state, c.manifest.id, `library-install-${c.manifest.id}`, `Install ${c.manifest.name}`),
    );
    return roleChoice('library', setUpButtons('library', connectors, openForm), install);
  }
  if (!connectors.every((c) => c.mode === 'bring_your_own')) return null;
  // Nothing set up, but something installed: someone connecting only their own Azure DevOps needs nothing here.
  return h(
    'p',
    { id: 'library-skip' },
    'Connecting only your own Azure DevOps? Nothing to set up here: ',
    h(
      'button',
      { type: 'button', class: 'link', onclick: () => document.getElementById('tab-installations')?.click() },
      'go to Installations',
    ),
    '.',
  );
}

/**
 * An Install button: Installations, opening that connector's Install form.
 * @param {AppState} state
 * @param {string} connector the connector's id
 * @param {string} id the button's
 * @param {string} label
 */
function installButton(state, connector, id, label) {
  return needsKeychain(
    h(
      'button',
      {
        type: 'button',
        class: 'primary',
        id,
        onclick: () => {
          state.installNext = connector;
          document.getElementById('tab-installations')?.click();
        },
      },
      label,
    ),
    state.keychain,
  );
}
