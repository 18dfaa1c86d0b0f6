// @ts-check
// An Azure DevOps address pasted into the Organization field, turned into what the field
// asks for. People copy the address bar: https://dev.azure.com/{organization}/{project}/…,
// or the older https://{organization}.visualstudio.com/{project}/… that Microsoft still
// serves (docs/microsoft.md, "Organization addresses"). The project, when the address names
// one, fills an empty Project field; a path part that starts with "_" is a page
// (_settings, _git), not a project.

/**
 * The organization and project an address names, or null when the text is no such address.
 * @param {string} text
 * @returns {{organization: string, project: string|null}|null}
 */
export function fromAddress(text) {
  let url;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  let parts;
  try {
    parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
  const host = url.hostname.toLowerCase();
  const old = host.endsWith('.visualstudio.com') ? host.slice(0, -'.visualstudio.com'.length) : null;
  const organization = host === 'dev.azure.com' ? parts.shift() : old;
  // app.vssps.visualstudio.com and the like are Microsoft's services, not an organization.
  if (!organization || organization.includes('.')) return null;
  if (old && parts[0]?.toLowerCase() === 'defaultcollection') parts.shift();
  const project = parts[0] && !parts[0].startsWith('_') ? parts[0] : null;
  return { organization, project };
}

/**
 * Normalises the Organization field when an address is pasted or typed into it, and says
 * what was taken in the field's help line (announced; the line is there already, so
 * nothing below it moves).
 * @param {HTMLInputElement} organization
 * @param {HTMLInputElement|undefined} project
 */
export function takeAddresses(organization, project) {
  const help = /** @type {HTMLElement|null} */ (organization.parentElement?.querySelector('.help') ?? null);
  const take = () => {
    const found = fromAddress(organization.value);
    if (!found) return;
    organization.value = found.organization;
    const fillProject = project && found.project && project.value.trim() === '';
    if (project && fillProject) project.value = /** @type {string} */ (found.project);
    if (help) {
      help.setAttribute('aria-live', 'polite');
      help.textContent = fillProject
        ? `From the address: organization ${found.organization}, project ${found.project}.`
        : `From the address: organization ${found.organization}.`;
    }
  };
  organization.addEventListener('change', take);
  organization.addEventListener('input', (e) => {
    if (/** @type {InputEvent} */ (e).inputType === 'insertFromPaste') take();
  });
}
