// @ts-check
// Rotating a shared legacy app's Client Secret with no outage. Tokens die with the secret
// that minted them, so the next secret goes in while the old one still works: every
// installation is renewed with it at once, and the result says "N of M renewed" and
// whether the old secret may go.

import * as api from '../api.js';
import { escapePresses, formBar, h, put } from '../components/dom.js';
import { leaveForm } from '../components/drafts.js';
import { clearFieldErrors, showError, showFieldErrors } from '../components/errors.js';
import { fieldIds, fieldRow } from '../components/field-row.js';

/** @import {ConnectorView, RotationOutcome} from '../types.js' */

/**
 * The rotation form for connector `c` in `el`; `back(message)` re-renders the Library.
 * @param {HTMLElement} el
 * @param {ConnectorView} c
 * @param {(message: string) => void} back
 */
export function renderRotation(el, c, back) {
  const view = rotationForm(c, () => leaveForm(el, () => back('')));
  put(el, formBar(`${c.manifest.name}: rotate the Client Secret`), view.error, view.form);
  escapePresses(el, () => view.back);
  view.secret.focus();
  view.form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(view.form);
    view.error.hidden = true;
    view.renew.disabled = true;
    view.renew.textContent = 'Renewing\u2026';
    try {
      showOutcome(el, c, await api.libraryRotateSecret(c.manifest.id, view.secret.value, view.expires.value || null), back);
    } catch (err) {
      view.renew.disabled = false;
      view.renew.textContent = 'Renew installations';
      if (err.fields?.length) showFieldErrors(view.form, err);
      else showError(view.error, err);
    }
  });
}

/**
 * The form's elements: what the user fills in, and the action row under it.
 * @param {ConnectorView} c
 * @param {() => void} onBack
 */
function rotationForm(c, onBack) {
  const ids = fieldIds('next_client_secret');
  const dateIds = fieldIds('next_client_secret_expires');
  const secret = h('input', {
    type: 'password',
    id: ids.inputId,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': ids.describedBy,
  });
  const expires = h('input', { type: 'date', id: dateIds.inputId, 'aria-describedby': dateIds.describedBy });
  const error = h('div', { class: 'error', id: 'rotation-error', role: 'alert', hidden: true });
  const renew = h('button', { type: 'submit', class: 'primary', id: 'rotation-renew' }, 'Renew installations');
  const back = h('button', { type: 'button', id: 'rotation-back', onclick: onBack }, 'Back');
  const form = h(
    'form',
    { id: 'rotation-form', novalidate: true },
    h(
      'p',
      {},
      'On the app\u2019s registration page, add a second Client Secret (a legacy app may hold two), and paste it here while the old one still works. ',
      c.installations_using
        ? `Each of the ${c.installations_using} installations signed in with this app gets new tokens from it now, so nothing stops when the old secret expires.`
        : 'No installation uses this app yet.',
    ),
    fieldRow({
      id: 'next_client_secret',
      label: 'New Client Secret',
      help: 'The new secret, not the App Secret. It goes only to the OS keychain.',
      control: secret,
    }),
    fieldRow({
      id: 'next_client_secret_expires',
      label: 'It expires on',
      required: false,
      help: 'The date the registration page shows: you are warned 14 days ahead.',
      control: expires,
    }),
    h('div', { class: 'actions' }, back, renew),
  );
  return { form, secret, expires, error, renew, back };
}

/**
 * What the rotation did: "N of M renewed", and those not renewed with why.
 * @param {HTMLElement} el
 * @param {ConnectorView} c
 * @param {RotationOutcome} outcome
 * @param {(message: string) => void} back
 */
function showOutcome(el, c, outcome, back) {
  const done = h('button', { type: 'button', class: 'primary', id: 'rotation-done', onclick: () => back(outcome.message) }, 'Done');
  const notRenewed = outcome.not_renewed.map((n) => h('li', {}, h('strong', {}, n.label), `: ${n.reason}`));
  put(
    el,
    formBar(`${c.manifest.name}: rotate the Client Secret`),
    h(
      'div',
      { class: outcome.old_secret_may_go ? 'status' : 'warning', id: 'rotation-outcome', role: 'status' },
      h('p', {}, outcome.message),
      notRenewed.length ? h('ul', { id: 'rotation-not-renewed' }, ...notRenewed) : null,
    ),
    h('div', { class: 'actions' }, done),
  );
  escapePresses(el, () => done);
  done.focus();
}
