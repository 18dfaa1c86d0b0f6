// @ts-check
// A policy-managed legacy entry needs its Client Secret once per machine: a
// small form that sends it to the keychain (it never leaves this machine).

import * as api from '../api.js';
import { h } from '../components/dom.js';
import { errorText } from '../components/errors.js';
import { fieldIds, fieldRow } from '../components/field-row.js';

/** @import {Manifest} from '../types.js' */

/**
 * The secret form for connector `m`; `done(message)` re-renders the library.
 * @param {Manifest} m
 * @param {boolean} keychainOk
 * @param {(message: string) => void} done
 */
export function managedSecretForm(m, keychainOk, done) {
  const id = `managed-secret-${m.id}`;
  const { inputId, describedBy } = fieldIds(id);
  const input = h('input', {
    type: 'password',
    id: inputId,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': describedBy,
    disabled: !keychainOk,
  });
  const note = h('p', { class: 'field-error', role: 'alert', id: `${id}-result` });
  /** @param {Event} event */
  const save = async (event) => {
    event.preventDefault();
    note.textContent = '';
    try {
      await api.librarySaveSecret(m.id, input.value);
      input.value = '';
      done(`The Client Secret for ${m.name} is in this machine's keychain.`);
    } catch (err) {
      note.textContent = errorText(err);
    }
  };
  return h(
    'form',
    { class: 'managed-secret', novalidate: true, onsubmit: save },
    fieldRow({
      id,
      label: 'Client Secret',
      help: 'Your organization manages this app; enter its Client Secret once on this machine. It goes only to the OS keychain.',
      control: input,
    }),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: `save-${id}`, disabled: !keychainOk }, 'Save secret'),
    ),
    note,
  );
}
