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
  const m = c.manifest;
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
  const formError = h('div', { class: 'error', id: 'rotation-error', role: 'alert', hidden: true });
  const renew = h('button', { type: 'submit', class: 'primary', id: 'rotation-renew' }, 'Renew installations');
  const backButton = h('button', { type: 'button', id: 'rotation-back', onclick: () => leaveForm(el, () => back('')) }, 'Back');
  const form = h(
    'form',
    { id: 'rotation-form', novalidate: true, onsubmit: submit },
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
    h('div', { class: 'actions' }, backButton, renew),
  );
  put(el, formBar(`${m.name}: rotate the Client Secret`), formError, form);
  escapePresses(el, () => backButton);
  secret.focus();

  /** @param {SubmitEvent} event */
  async function submit(event) {
    event.preventDefault();
    clearFieldErrors(form);
    formError.hidden = true;
    renew.disabled = true;
    renew.textContent = 'Renewing\u2026';
    try {
      showOutcome(await api.libraryRotateSecret(m.id, secret.value, expires.value || null));
    } catch (err) {
      renew.disabled = false;
      renew.textContent = 'Renew installations';
      if (err.fields?.length) showFieldErrors(form, err);
      else showError(formError, err);
    }
  }

  /** @param {RotationOutcome} outcome */
  function showOutcome(outcome) {
    const done = h('button', { type: 'button', class: 'primary', id: 'rotation-done', onclick: () => back(outcome.message) }, 'Done');
    put(
      el,
      formBar(`${m.name}: rotate the Client Secret`),
      h(
        'div',
        { class: outcome.old_secret_may_go ? 'status' : 'warning', id: 'rotation-outcome', role: 'status' },
        h('p', {}, outcome.message),
        outcome.not_renewed.length
          ? h(
              'ul',
              { id: 'rotation-not-renewed' },
              ...outcome.not_renewed.map((n) => h('li', {}, h('strong', {}, n.label), `: ${n.reason}`)),
            )
          : null,
      ),
      h('div', { class: 'actions' }, done),
    );
    escapePresses(el, () => done);
    done.focus();
  }
}
