// @ts-check
// Typed work is never thrown away without a question. A form the user has typed in is
// marked dirty (app.js marks it; a save or a successful run unmarks it), and every way
// out of a form (a tab switch, Back, Escape) goes through leaveForm, which asks first.

import { confirmDialog } from './dom.js';

/**
 * Calls `leave` at once when no form under `root` holds typed work; otherwise asks
 * "Discard what you entered?" first. Keeping the work calls `stay`, by default putting
 * the focus back where it was, so the form is exactly as the user left it.
 * @param {HTMLElement} root
 * @param {() => unknown} leave
 * @param {() => unknown} [stay]
 */
export function leaveForm(root, leave, stay) {
  if (!root.querySelector('form[data-dirty]')) {
    leave();
    return;
  }
  const was = document.activeElement;
  const back = stay ?? (() => (was instanceof HTMLElement && was.isConnected ? was.focus() : undefined));
  confirmDialog(
    'Discard what you entered?',
    'This form has changes that were not saved. Leaving it discards them.',
    'Discard',
    'Keep editing',
  ).then((discard) => (discard ? leave() : back()));
}
