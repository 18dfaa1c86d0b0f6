// @ts-check
// Install: Organization ID and Project Name, plus the user's own app when the
// library entry is blank; Next shows the pre-flight (scopes, warnings, the
// callback to check); Sign In opens Microsoft's window and waits for it.
// Re-authenticate opens with the check already run, at Sign In; a move to Entra ID asks
// for the new app first. Every step's buttons are in one action row under it: Back
// (the previous step) on the left, the step's primary on the right; Cancel install,
// in the title bar, leaves the whole install.
//
// In parts: the form's elements, its state and which step shows in install-form-view.js;
// the steps (check, sign in, back to the details) in install-form-steps.js; here the
// listeners, and where the form opens.

import { escapePresses } from '../components/dom.js';
import { leaveForm } from '../components/drafts.js';
import { fillFromLink } from './install-link.js';
import { createInstallView, showForm, stage } from './install-form-view.js';
import { check, editDetails, signIn } from './install-form-steps.js';

/** @import {AppState, ConnectorView, Installation, InstallationView} from '../types.js' */
/** @import {InstallView} from './install-form-view.js' */

/**
 * @param {HTMLElement} el
 * @param {AppState} state
 * @param {ConnectorView} connector
 * @param {InstallationView|null} reauth the installation to re-authenticate, or null for a new one
 * @param {(message: string, installation?: Installation) => void} back
 * @param {boolean} [toEntra] re-authenticate an own legacy installation with a new Entra app (Move to Entra ID)
 */
export async function renderInstallForm(el, state, connector, reauth, back, toEntra = false) {
  const view = await createInstallView({ el, app: state, connector, reauth, toEntra, back });
  wireEvents(view);
  showForm(view, toEntra);
  stage(view, 'details');
  if (!reauth) fillFromLink(el, state, connector.manifest.id);
  // Escape steps back: from the wait it is Cancel, from the check Back, from the details Cancel install.
  escapePresses(el, () =>
    !view.waiting.hidden ? view.state.waitButtons.cancel : !view.preflightBox.hidden ? view.backButton : view.cancelButton,
  );
  // Re-authenticating changes none of the details, so it opens at Sign in: the check runs
  // at once (its answer, or what to fix, takes the focus). A move asks for the new app first:
  // its Client ID field is the app fields' own (app-fields.js).
  if (reauth && !toEntra) check(view);
  else (view.appFields && reauth ? /** @type {HTMLElement} */ (el.querySelector('#field-client_id')) : view.locate[0].input).focus();
}

/**
 * Next (the form's submit), Sign In, Back and Edit details, and Cancel install, which asks
 * before throwing away what was typed here (as a tab switch does).
 * @param {InstallView} view
 */
function wireEvents(view) {
  view.form.addEventListener('submit', (event) => check(view, event));
  view.signInButton.addEventListener('click', () => signIn(view));
  view.backButton.addEventListener('click', () => editDetails(view));
  view.editButton.addEventListener('click', () => editDetails(view));
  view.cancelButton.addEventListener('click', () => leaveForm(view.el, () => view.back('')));
}
