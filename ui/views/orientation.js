// @ts-check
// What the Installations view says when there is nothing to list, and after a
// sign-in: every empty or finished state names its next action. A first run's
// question, asked on both tabs, is in role-choice.js.

/** @import {ConnectorView, Installation} from '../types.js' */

import { h } from '../components/dom.js';
import { createStepper } from '../components/stepper.js';
import { createStepActions } from '../components/step-actions.js';

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
 * indicator at Connected, and Done back to the full list (the caller focuses it), in the
 * action row every Install step has, where Next and Sign In were.
 * @param {Installation} installation
 * @param {() => void} onDone
 */
export function connectedPanel(installation, onDone) {
  const done = h('button', { type: 'button', class: 'primary', id: 'install-done' }, 'Done');
  const actions = createStepActions('Install step actions');
  actions.set([], [done]);
  const panel = h(
    'section',
    { class: 'connected', id: 'install-connected', 'aria-labelledby': 'install-connected-title' },
    createStepper('connected').el,
    h(
      'h3',
      { id: 'install-connected-title' },
      `Connected to ${installation.organization} / ${installation.project} as ${installation.user.display_name}`,
    ),
    actions.el,
  );
  done.addEventListener('click', () => {
    panel.remove();
    onDone();
  });
  return panel;
}
