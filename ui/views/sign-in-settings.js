// @ts-check
// The "Sign-in settings" disclosure under the installations list: how long a sign-in
// waits for Microsoft, and desktop notifications (both kept in the settings file).

import * as api from '../api.js';
import { h } from '../components/dom.js';
import { clearFieldErrors, showError, showFieldErrors } from '../components/errors.js';

/** How long a sign-in waits for Microsoft: its error shows as every form field's does. */
async function timeoutSetting() {
  const minutes = Math.round((await api.signInTimeoutGet()) / 60);
  const input = h('input', {
    type: 'number',
    id: 'field-sign_in_timeout',
    min: 1,
    max: 60,
    value: minutes,
    'aria-describedby': 'field-sign_in_timeout-error',
    class: 'narrow',
  });
  const saved = h('span', { id: 'sign-in-timeout-status', role: 'status' });
  const error = h('div', { id: 'sign-in-timeout-failed', class: 'error', role: 'alert', hidden: true });
  const block = h(
    'div',
    { class: 'field' },
    h(
      'p',
      {},
      h('label', { for: 'field-sign_in_timeout' }, 'A sign-in waits up to '),
      input,
      ' minutes for Microsoft\u2019s answer. ',
      h('button', { type: 'button', id: 'sign-in-timeout-save', onclick: () => save() }, 'Save'),
      saved,
    ),
    h('p', { class: 'field-error', id: 'field-sign_in_timeout-error', role: 'alert' }),
    error,
  );
  const save = async () => {
    clearFieldErrors(block);
    error.hidden = true;
    saved.textContent = '';
    try {
      await api.signInTimeoutSet(Number(input.value));
      saved.textContent = ' Saved.';
    } catch (err) {
      if (err.fields?.length) showFieldErrors(block, err);
      else showError(error, err);
    }
  };
  return block;
}

/** Desktop notifications: on by default, saved as soon as the box changes; off for good by policy. */
async function notificationSetting() {
  const setting = await api.notificationsGet();
  const box = h('input', {
    type: 'checkbox',
    id: 'field-desktop_notifications',
    checked: setting.enabled && !setting.off_by_policy,
    disabled: setting.off_by_policy,
    'aria-describedby': 'field-desktop_notifications-note',
  });
  const note = h(
    'span',
    { id: 'field-desktop_notifications-note', role: 'status' },
    setting.off_by_policy ? ' Turned off by your organization\u2019s policy.' : '',
  );
  const error = h('div', { id: 'desktop-notifications-failed', class: 'error', role: 'alert', hidden: true });
  box.addEventListener('change', async () => {
    error.hidden = true;
    try {
      await api.notificationsSet(box.checked);
      note.textContent = ' Saved.';
    } catch (err) {
      note.textContent = '';
      showError(error, err);
    }
  });
  return h(
    'div',
    {},
    h(
      'p',
      {},
      box,
      h('label', { for: 'field-desktop_notifications' }, ' Desktop notifications'),
      ' when an installation needs a new sign-in or its Client Secret expires within 14 days (at most one a day each).',
      note,
    ),
    error,
  );
}

/** The disclosure, with both settings read at once. */
export async function signInSettings() {
  const [timeout, notifications] = await Promise.all([timeoutSetting(), notificationSetting()]);
  return h('details', { class: 'settings' }, h('summary', {}, 'Sign-in settings'), timeout, notifications);
}
