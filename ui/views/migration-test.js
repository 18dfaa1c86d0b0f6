// @ts-check
// During a move to Microsoft Entra ID, before the switch: the admin's test sign-in with the
// Entra app prepared beside the legacy entry, to an organization and project they name. The
// core runs the usual sign-in (services/signin/test.rs): nothing is installed, no token kept.

import * as api from '../api.js';
import { h } from '../components/dom.js';
import { showError } from '../components/errors.js';

/** @import {ConnectorView} from '../types.js' */

/**
 * @param {string} id the input's id
 * @param {string} label
 * @param {string} placeholder
 */
function labelled(id, label, placeholder) {
  const input = h('input', { type: 'text', id, spellcheck: 'false', autocomplete: 'off', placeholder });
  return { input, row: h('p', { class: 'field-inline' }, h('label', { for: id }, label), ' ', input) };
}

/**
 * The test sign-in: the last one that worked, or an invitation to run one.
 * @param {ConnectorView} c a connector with an Entra entry prepared beside its legacy one
 * @param {(message: string) => void} done re-renders the Library with what happened
 */
export function migrationTest(c, done) {
  const id = c.manifest.id;
  const org = labelled(`migration-test-org-${id}`, 'Organization', 'e.g. contoso');
  const project = labelled(`migration-test-project-${id}`, 'Project', 'e.g. Website');
  const error = h('div', { class: 'error', role: 'alert', hidden: true, id: `migration-test-error-${id}` });
  const waiting = h('p', { class: 'muted', role: 'status', id: `migration-test-waiting-${id}` });
  const cancel = h(
    'button',
    { type: 'button', hidden: true, id: `migration-test-cancel-${id}`, onclick: () => api.signInCancel() },
    'Cancel',
  );
  const tested = c.test_sign_in;
  const last = tested
    ? h(
        'p',
        { id: `migration-tested-${id}` },
        `Test sign-in worked as ${tested.user} in ${tested.organization}/${tested.project} (tenant ${tested.tenant}). Nothing was installed and no token was kept.`,
      )
    : h(
        'p',
        { id: `migration-untested-${id}`, class: 'warning' },
        'No test sign-in has worked with the Entra app yet. Try one before you switch: it proves the registration, redirect URI, tenant and scopes, installs nothing and keeps no token.',
      );
  const button = h('button', { type: 'button', id: `migration-test-${id}` }, 'Test sign-in');
  button.onclick = async () => {
    error.hidden = true;
    button.disabled = true;
    cancel.hidden = false;
    waiting.textContent = 'Signing in with the Entra app: finish in the sign-in window or your browser.';
    try {
      const t = await api.migrationTestSignIn({ connector: id, organization: org.input.value.trim(), project: project.input.value.trim() });
      done(`Test sign-in worked as ${t.user} in ${t.organization}/${t.project}.`);
    } catch (err) {
      waiting.textContent = '';
      showError(error, err);
    } finally {
      button.disabled = false;
      cancel.hidden = true;
    }
  };
  return h(
    'div',
    { class: 'migration-test', id: `migration-test-block-${id}` },
    last,
    org.row,
    project.row,
    h('div', { class: 'actions' }, button, cancel),
    waiting,
    error,
  );
}
