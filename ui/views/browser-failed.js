// @ts-check
// When the user's browser didn't open for a sign-in: say so in words, offer the two ways
// on (a sign-in window inside the app, or the link to paste into a browser), and keep the
// opener's command and exit code under Details rather than in the message.

import { copyText, h, put } from '../components/dom.js';

/** @import {CommandError} from '../types.js' */

/**
 * Fills Install's alert with the failure (the caller stays on the Check step).
 * @param {HTMLElement} box the alert (role=alert)
 * @param {CommandError} err the `browser_failed` error
 * @param {{onWindow: () => void, onCopy: () => void}} on
 */
export function showBrowserFailed(box, err, { onWindow, onCopy }) {
  put(
    box,
    h('strong', {}, `${err.message}.`),
    ' ',
    h('span', {}, err.hint),
    h(
      'div',
      { class: 'error-link-actions' },
      h('button', { type: 'button', id: 'browser-failed-window', onclick: onWindow }, 'Use a window inside Connector Console'),
      h('button', { type: 'button', id: 'browser-failed-copy', onclick: onCopy }, 'Copy the sign-in link'),
    ),
    err.detail
      ? h(
          'details',
          { class: 'error-detail' },
          h('summary', {}, 'Details'),
          h('p', {}, h('code', { id: 'browser-failed-detail' }, err.detail)),
        )
      : null,
  );
  box.dataset.code = err.code;
  box.hidden = false;
}

/**
 * The sign-in link, to paste into a browser: copied at once where the webview lets a page
 * copy without a click, and with its own Copy button for where it doesn't (or for again).
 * @param {string} link
 */
export function linkToPaste(link) {
  const status = h('span', { class: 'muted', role: 'status', id: 'sign-in-link-status' });
  const copy = async () => {
    status.textContent = (await copyText(link)) ? 'Copied.' : 'Select the link and copy it.';
  };
  copy();
  return h(
    'div',
    { class: 'error-link', id: 'sign-in-link-box' },
    h('label', { for: 'sign-in-link' }, 'Paste this link into your browser\u2019s address bar:'),
    h('input', { type: 'text', id: 'sign-in-link', readonly: true, value: link, spellcheck: 'false' }),
    h(
      'div',
      { class: 'error-link-actions' },
      h('button', { type: 'button', id: 'sign-in-link-copy', onclick: copy }, 'Copy the sign-in link'),
      status,
    ),
  );
}
