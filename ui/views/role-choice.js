// @ts-check
// The first launch's question, "Which one are you?", on whichever tab is open: an admin
// setting up for a team and a user connecting their own Azure DevOps need different
// first steps, and neither should have to find the other tab to learn that.
// Imports only the DOM helper: the Library, the first screen, shows it too.

/** @import {AppState, ConnectorView} from '../types.js' */

import { h } from '../components/dom.js';

/**
 * A first run: nothing in the Connector Library (every connector is left to each
 * user's own app) and nothing installed. Unknown counts as not a first run.
 * @param {ConnectorView[]} connectors
 * @param {AppState} state
 */
export const isFirstRun = (connectors, state) => state.installed === 0 && connectors.every((c) => c.mode === 'bring_your_own');

/**
 * The buttons that open each connector's Library form; `open` goes there from the tab it is on.
 * One connector is "the Connector Library"; with several, each names its own.
 * @param {'library'|'installations'} tab the view they are on: ids stay unique, as a hidden view keeps its content
 * @param {ConnectorView[]} connectors
 * @param {(c: ConnectorView) => void} open
 */
export function setUpButtons(tab, connectors, open) {
  return connectors.map((c) =>
    h(
      'button',
      { type: 'button', class: 'primary', id: `${tab}-set-up-${c.manifest.id}`, onclick: () => open(c) },
      connectors.length === 1 ? 'Set up the Connector Library' : `Set up ${c.manifest.name}`,
    ),
  );
}

/**
 * The two ways in, side by side, and the three steps of the guide mapped to them.
 * @param {'library'|'installations'} tab the view it is on (its ids start with it)
 * @param {HTMLElement[]} setUp from `setUpButtons`
 * @param {HTMLElement[]} install the Install buttons (they start an install with the user's own app)
 */
export function roleChoice(tab, setUp, install) {
  return h(
    'section',
    { class: 'first-run', id: `${tab}-first-run`, 'aria-labelledby': `${tab}-first-run-title` },
    h('h3', { id: `${tab}-first-run-title` }, 'Nothing is installed yet. Which one are you?'),
    h(
      'div',
      { class: 'paths' },
      h(
        'div',
        { class: 'path', 'data-path': 'team' },
        h('h4', {}, 'Setting up for my team'),
        h('p', {}, 'Save one app registration in the Connector Library. Everyone then installs with it and only signs in.'),
        setUp,
      ),
      h(
        'div',
        { class: 'path', 'data-path': 'own' },
        h('h4', {}, 'Connecting my own Azure DevOps'),
        // An Entra public client has no secret: the form asks for one only where the app type has it.
        h('p', {}, 'Install with your own app registration: its Client ID, its Client Secret if it has one, and its scopes.'),
        install,
      ),
    ),
    h(
      'ol',
      { class: 'guide', 'aria-label': 'The three steps' },
      h('li', {}, h('strong', {}, 'Library'), ': an admin saves the app once (team only; skipped with your own app).'),
      h('li', {}, h('strong', {}, 'Install'), ': Organization ID and Project Name, then Sign In with Microsoft.'),
      h('li', {}, h('strong', {}, 'Scopes'), ': what the app may do, chosen in the Library or, with your own app, at Install.'),
    ),
  );
}
