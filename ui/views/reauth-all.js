// @ts-check
// After a shared app's Client Secret actually expired, Microsoft has ended every token
// issued with it: every installation of the app must sign in again. The Installations view
// says so once, above the list (the core says which installations: installationsSecretExpired),
// and "Re-authenticate all" walks through them one after another, each with the row's own
// Re-authenticate (the Install form at Sign in), with Skip and Stop, to a summary.

import * as api from '../api.js';
import { h, put } from '../components/dom.js';
import { renderInstallForm } from './install-form.js';

/** @import {AppState, ConnectorView, SecretExpired} from '../types.js' */

/**
 * Where the walk-through is drawn and where it ends.
 * @typedef {object} Walk
 * @property {HTMLElement} el the Installations view's box
 * @property {AppState} state
 * @property {ConnectorView[]} connectors
 * @property {(summary: string) => void} done back to the list, saying what was done
 */

/**
 * One notice per shared app whose secret expired; none when no installation must sign in again.
 * @param {Walk} walk
 * @returns {Promise<HTMLElement[]>}
 */
export async function expiredSecretNotices(walk) {
  /** @type {SecretExpired[]} */
  let expired;
  try {
    expired = await api.installationsSecretExpired();
  } catch {
    // Each row still says what its refresh met; the notice is a summary of them.
    return [];
  }
  return expired.map((e) => notice(walk, e));
}

/**
 * "The shared app's client secret expired on …: all N installations must sign in again." Until
 * the admin saved a new secret a sign-in fails the same way, so then it says who acts first
 * and offers no button.
 * @param {Walk} walk
 * @param {SecretExpired} e
 */
function notice(walk, e) {
  const n = e.installations.length;
  const who = n === 1 ? 'its one installation must' : `all ${n} installations must`;
  const what = e.refused
    ? `Microsoft refused the shared app\u2019s client secret on ${e.expired_on} (it expired or was regenerated), and ended the tokens issued with it: ${who} sign in again.`
    : `The shared app\u2019s client secret expired on ${e.expired_on}, and Microsoft ended the tokens issued with it: ${who} sign in again.`;
  const first = e.new_secret_saved
    ? null
    : h(
        'p',
        { id: 'expired-secret-first' },
        'First the admin must add a new client secret on the app\u2019s registration page and save it in the Library entry (Set up \u2192 Client Secret): until then signing in fails the same way.',
      );
  const all = e.new_secret_saved
    ? h(
        'div',
        { class: 'actions' },
        h(
          'button',
          { type: 'button', class: 'primary', id: 'reauth-all', onclick: () => walkThrough(walk, e) },
          `Re-authenticate all (${n})`,
        ),
      )
    : null;
  return h('div', { class: 'notice', id: 'expired-secret', 'data-connector': e.connector }, h('p', { class: 'warning' }, what), first, all);
}

/**
 * Each installation's Re-authenticate in turn. The progress line says which ("2 of 5:
 * contoso / Website …") takes the focus at each step, until the step's check puts it on Sign
 * in, as Re-authenticate does; Skip and Stop are beside it. A step's answer (signed in, or Cancel install) moves to the next.
 * @param {Walk} walk
 * @param {SecretExpired} e
 */
function walkThrough(walk, e) {
  const connector = /** @type {ConnectorView} */ (walk.connectors.find((c) => c.manifest.id === e.connector));
  const todo = e.installations;
  const tally = { signedIn: 0, skipped: 0 };
  const progress = h('p', { id: 'reauth-all-progress', class: 'status', role: 'status', 'aria-live': 'polite', tabindex: '-1' });
  const form = h('div', { id: 'reauth-all-form' });
  // `over` once Stop or the last step ended the walk: a sign-in still finishing then changes nothing.
  let step = -1;
  let over = false;
  /** @param {boolean} signedIn whether the step before signed in (else it was skipped) */
  const next = (signedIn) => {
    if (over) return;
    if (step >= 0) tally[signedIn ? 'signedIn' : 'skipped'] += 1;
    step += 1;
    if (step >= todo.length) return finish();
    show(step);
  };
  /** @param {number} k */
  const show = (k) => {
    const i = todo[k];
    progress.textContent = `${k + 1} of ${todo.length}: ${i.organization} / ${i.project} \u2026`;
    // A fresh box each step: the step before, if it still waits on anything, has none to draw into.
    const box = h('div');
    form.replaceChildren(box);
    renderInstallForm(box, walk.state, connector, i, (_message, installation) => {
      if (step === k) next(Boolean(installation));
    });
    progress.focus();
  };
  const finish = () => {
    over = true;
    walk.done(summary(tally, todo.length - step));
  };
  /** Leaves a sign-in that waits on Microsoft's window, then does `then`. */
  const leaving = (/** @type {() => void} */ then) => () => {
    api.signInCancel().catch(() => {});
    then();
  };
  const skip = h('button', { type: 'button', id: 'reauth-all-skip', onclick: leaving(() => next(false)) }, 'Skip this one');
  const stop = h('button', { type: 'button', id: 'reauth-all-stop', onclick: leaving(finish) }, 'Stop');
  put(walk.el, h('h2', {}, 'Re-authenticate all'), progress, h('div', { class: 'actions' }, skip, stop), form);
  next(false);
}

/**
 * "4 re-authenticated, 1 skipped" (and how many were left when Stop was pressed).
 * @param {{signedIn: number, skipped: number}} tally
 * @param {number} left not reached
 */
function summary({ signedIn, skipped }, left) {
  const parts = [`${signedIn} re-authenticated`];
  if (skipped) parts.push(`${skipped} skipped`);
  if (left > 0) parts.push(`${left} not reached (stopped)`);
  return `Re-authenticate all: ${parts.join(', ')}.`;
}
