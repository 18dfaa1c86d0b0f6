// @ts-check
// What the Installations view says when there is nothing to list, and after a
// sign-in: every empty or finished state names its next action.

/** @import {ConnectorView, Installation} from '../types.js' */

import { h } from '../components/dom.js';
import { createStepper } from '../components/stepper.js';

/** Switches tab the way a click on it does (app.js asks first about a half-filled form). */
const openTab = (/** @type {string} */ id) => document.getElementById(id)?.click();

/**
 * First run (no Library entry, nothing installed): the two ways in, side by side,
 * and the three steps of the guide mapped to them. `installButtons` are the view's
 * own Install buttons, placed here under "my own Azure DevOps".
 * @param {HTMLElement[]} installButtons
 */
export function firstRunPanel(installButtons) {
  return h(
    'section',
    { class: 'first-run', id: 'first-run', 'aria-labelledby': 'first-run-title' },
    h('h3', { id: 'first-run-title' }, 'Nothing is installed yet. Which one are you?'),
    h(
      'div',
      { class: 'paths' },
      h(
        'div',
        { class: 'path' },
        h('h4', {}, 'Setting up for my team'),
        h('p', {}, 'Save one app registration in the Connector Library. Everyone then installs with it and only signs in.'),
        h(
          'button',
          { type: 'button', class: 'primary', id: 'first-run-library', onclick: () => openTab('tab-library') },
          'Set up the Connector Library',
        ),
      ),
      h(
        'div',
        { class: 'path' },
        h('h4', {}, 'Connecting my own Azure DevOps'),
        h('p', {}, 'Install with your own app registration: its Client ID, Client Secret and the scopes it was registered with.'),
        installButtons,
      ),
    ),
    h(
      'ol',
      { class: 'guide', 'aria-label': 'The three steps' },
      h('li', {}, h('strong', {}, 'Library'), ': an admin saves the app once (team only; skipped with your own app).'),
      h('li', {}, h('strong', {}, 'Install'), ': Organization ID and Project Name, then Sign In with Microsoft.'),
      h('li', {}, h('strong', {}, 'Scopes'), ': what the app may do, chosen in the Library or, with your own app, at Install.'),
    ),
  );
}

/**
 * Nothing installed, but a Library app is set: the Install buttons, saying whose app they use.
 * @param {HTMLElement[]} installButtons
 * @param {ConnectorView[]} connectors
 */
export function emptyPanel(installButtons, connectors) {
  const uses = connectors.map((c) =>
    c.mode === 'bring_your_own'
      ? `${c.manifest.name}: with your own app (the Connector Library has none).`
      : `${c.manifest.name}: with ${c.mode === 'managed' ? 'your organization\u2019s app' : 'the shared app from the Connector Library'}, so you only sign in.`,
  );
  return h(
    'section',
    { class: 'empty-state', id: 'installations-empty', 'aria-labelledby': 'installations-empty-title' },
    h('h3', { id: 'installations-empty-title' }, 'Nothing is installed yet'),
    uses.map((u) => h('p', { class: 'muted' }, u)),
    h('div', { class: 'actions' }, installButtons),
  );
}

/**
 * The end of Install: where the new installation is and who signed in, the step
 * indicator at Connected, and a button back to the full list (the caller focuses it).
 * @param {Installation} installation
 * @param {() => void} onDone
 */
export function connectedPanel(installation, onDone) {
  const done = h('button', { type: 'button', class: 'primary', id: 'install-done' }, 'Done');
  const panel = h(
    'section',
    { class: 'connected', id: 'install-connected', 'aria-labelledby': 'install-connected-title' },
    createStepper('connected').el,
    h(
      'h3',
      { id: 'install-connected-title' },
      `Connected to ${installation.organization} / ${installation.project} as ${installation.user.display_name}`,
    ),
    h('div', { class: 'actions' }, done),
  );
  done.addEventListener('click', () => {
    panel.remove();
    onDone();
  });
  return panel;
}
