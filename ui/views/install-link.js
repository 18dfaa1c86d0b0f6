// @ts-check
// Install links (connector-console://install?connector=…&organization=…&project=…): the shell
// keeps the link the window was started with, or a later launch handed over, until the page
// takes it (parsed in the core). A link opens the Install form with its fields filled in and
// does nothing more: the user checks the details and signs in themselves.

import * as api from '../api.js';
import { h, copyText } from '../components/dom.js';
import { errorText } from '../components/errors.js';

/** @import {AppState, InstallLink} from '../types.js' */

/**
 * Takes the link waiting now and any a later launch hands over: each opens the Installations
 * tab (asking first if a form there is half-filled), which opens that connector's Install form.
 * @param {AppState} state
 */
export async function watchInstallLinks(state) {
  const take = async () => {
    /** @type {InstallLink|null} */
    let link;
    try {
      link = await api.installLinkTake();
    } catch (err) {
      refused(errorText(err));
      return;
    }
    if (!link) return;
    document.getElementById('install-link-error')?.remove();
    state.installLink = link;
    state.installNext = link.connector;
    document.getElementById('tab-installations')?.click();
  };
  // Listening first, then taking: a link handed over in between is still taken.
  await api.onInstallLink(take);
  await take();
}

/** @param {string} why */
function refused(why) {
  document.getElementById('install-link-error')?.remove();
  const dismiss = h('button', { type: 'button' }, 'Dismiss');
  const box = h(
    'div',
    { id: 'install-link-error', class: 'error', role: 'alert' },
    h('p', {}, `This install link can\u2019t be used: ${why}`),
    dismiss,
  );
  dismiss.addEventListener('click', () => box.remove());
  document.getElementById('notices')?.after(box);
}

/**
 * Fills a new Install form from the link that opened it, and says so above the fields.
 * @param {HTMLElement} el the view holding the Install form
 * @param {AppState} state
 * @param {string} connector the form's connector
 */
export function fillFromLink(el, state, connector) {
  const link = state.installLink;
  delete state.installLink;
  if (!link || link.connector !== connector) return;
  for (const [id, value] of [
    ['organization', link.organization],
    ['project', link.project],
  ]) {
    const input = /** @type {HTMLInputElement|null} */ (el.querySelector(`#field-${id}`));
    if (input && value) input.value = value;
  }
  const ignored = link.ignored.length ? ` It also named ${link.ignored.join(', ')}, which a link can\u2019t set: left out.` : '';
  el.querySelector('#install-form')?.prepend(
    h(
      'p',
      { id: 'install-link-notice', class: 'notice', role: 'status' },
      `Filled in from a link: check the details, then Sign In yourself.${ignored}`,
    ),
  );
}

/**
 * The Library card's "Copy install link": copied, and shown so it can be selected too.
 * @param {string} link
 * @param {HTMLElement} status where to say so
 */
export async function copyInstallLink(link, status) {
  const copied = await copyText(link);
  status.replaceChildren(
    copied ? 'Install link copied: ' : 'Select the install link and copy it: ',
    h('code', { id: 'install-link-copied' }, link),
  );
}
