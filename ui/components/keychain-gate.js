// @ts-check
// With the OS keychain unavailable nothing can be signed in (tokens live only
// there), so the buttons that start an install are disabled, and point at the
// banner that says why and what to do. The banner is built in app.js.

/** The ids of the banner's reason and hint, for aria-describedby. */
const REASON = 'keychain-reason keychain-hint';

/** @import {KeychainStatus} from '../types.js' */

/**
 * Marks `button` as needing the keychain and applies the current status; returns it.
 * @template {HTMLButtonElement} B
 * @param {B} button
 * @param {KeychainStatus|null} keychain null while unknown: the button stays enabled
 * @returns {B}
 */
export function needsKeychain(button, keychain) {
  button.dataset.needsKeychain = '';
  gate(button, keychain);
  return button;
}

/**
 * Applies the keychain status to every marked button under `root` (the status can arrive late).
 * @param {ParentNode} root
 * @param {KeychainStatus|null} keychain
 */
export function gateAll(root, keychain) {
  for (const b of /** @type {NodeListOf<HTMLButtonElement>} */ (root.querySelectorAll('[data-needs-keychain]'))) gate(b, keychain);
}

/**
 * @param {HTMLButtonElement} button
 * @param {KeychainStatus|null} keychain
 */
function gate(button, keychain) {
  if (keychain?.available === false) {
    button.disabled = true;
    button.dataset.keychainDisabled = '';
    button.setAttribute('aria-describedby', REASON);
    button.title = 'Signing in is disabled: the OS keychain is unavailable (see the message at the top).';
  } else if ('keychainDisabled' in button.dataset) {
    // Only undo what the gate did: a button disabled for another reason (a sign-in running) stays so.
    button.disabled = false;
    delete button.dataset.keychainDisabled;
    button.removeAttribute('aria-describedby');
    button.removeAttribute('title');
  }
}
