// @ts-check
// A Library card's move to Microsoft Entra ID, once the Entra app is saved beside the
// legacy entry: how many installations moved, the switch (and back), and the legacy
// entry's removal once none uses it (services/migration/entries.rs).

import * as api from '../api.js';
import { h } from '../components/dom.js';
import { showError } from '../components/errors.js';
import { migrationTest } from './migration-test.js';

/** @import {ConnectorView, LibraryEntry} from '../types.js' */

/**
 * Switch (or back). Before the switch it says when no test sign-in has worked yet: a warning
 * (migration-test.js shows it), never a block.
 * @param {ConnectorView} c
 * @param {boolean} entraInForce
 * @param {(action: () => Promise<void>, message: string) => () => Promise<void>} run
 */
function switchButton(c, entraInForce, run) {
  const id = c.manifest.id;
  const untested = !entraInForce && !c.test_sign_in;
  return h(
    'button',
    {
      type: 'button',
      id: `migration-switch-${id}`,
      class: entraInForce ? '' : 'primary',
      'aria-describedby': untested ? `migration-untested-${id}` : null,
      onclick: run(
        () => api.migrationSwitch(id),
        entraInForce
          ? 'Switched back to the legacy app: new installs use it again.'
          : 'Switched to Microsoft Entra ID: new installs use it, and each installation moves when it is re-authenticated.' +
              (untested ? ' No test sign-in had worked with the Entra app: if installs fail, switch back.' : ''),
      ),
    },
    entraInForce ? 'Switch back to legacy' : 'Switch to Entra ID',
  );
}

/**
 * @param {ConnectorView} c a connector with an entry in force and another beside it
 * @param {(message: string) => void} done re-renders the Library with what happened
 */
export function migrationPanel(c, done) {
  const id = c.manifest.id;
  const other = /** @type {LibraryEntry} */ (c.alternate);
  const entraInForce = c.entry?.auth_type === 'entra';
  const total = c.shared_legacy + c.shared_entra;
  const error = h('div', { class: 'error', role: 'alert', hidden: true, id: `migration-error-${id}` });
  /**
   * @param {() => Promise<void>} action
   * @param {string} message
   */
  const run = (action, message) => async () => {
    error.hidden = true;
    try {
      await action();
      done(message);
    } catch (err) {
      showError(error, err);
    }
  };
  // Deployed by the policy file: IT switches, on its date; nothing to press here.
  if (c.mode === 'managed') {
    const text = entraInForce
      ? `Your organization moved this connector to Microsoft Entra ID on ${c.migrate_by}: ${c.shared_entra} of ${total} installations moved.` +
        (c.shared_legacy ? ' The others must move: re-authenticate them in Installations.' : '')
      : `Your organization moves this connector to Microsoft Entra ID on ${c.migrate_by} (its policy file). From then, new installs use the Entra app (Client ID ${other.values.client_id}), and each installation moves when it is re-authenticated.`;
    return h(
      'div',
      { class: 'migration', id: `migration-${id}`, 'data-moved': `${c.shared_entra}/${total}` },
      h('h4', {}, 'Moving to Microsoft Entra ID'),
      h('p', { id: `migration-progress-${id}` }, text),
    );
  }
  const text = entraInForce
    ? `${c.shared_entra} of ${total} installations moved. ` +
      (c.shared_legacy
        ? `${c.shared_legacy === 1 ? 'The other one keeps' : `The other ${c.shared_legacy} keep`} working with the legacy app (Client ID ${other.values.client_id}) until it is re-authenticated in Installations.`
        : 'Every installation has moved: the legacy app can go.')
    : `The Entra app (Client ID ${other.values.client_id}) is ready beside this one. Switch when you are ready: new installs then use it, each installation moves when it is re-authenticated, and you can switch back while any still uses legacy.`;
  return h(
    'div',
    { class: 'migration', id: `migration-${id}`, 'data-moved': `${c.shared_entra}/${total}` },
    h('h4', {}, 'Moving to Microsoft Entra ID'),
    h('p', { id: `migration-progress-${id}` }, text),
    entraInForce ? null : migrationTest(c, done),
    h(
      'div',
      { class: 'actions' },
      switchButton(c, entraInForce, run),
      entraInForce && c.shared_legacy === 0
        ? h(
            'button',
            {
              type: 'button',
              class: 'primary',
              id: `migration-finish-${id}`,
              onclick: run(
                () => api.migrationFinish(id),
                'The move to Microsoft Entra ID is done: the legacy app and its Client Secret are removed.',
              ),
            },
            'Remove the legacy app',
          )
        : null,
    ),
    error,
  );
}
