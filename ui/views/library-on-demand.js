// @ts-check
// The Library's forms, loaded when first opened: the first screen needs none of them (the
// entry form brings the scope picker with it).

/** @type {typeof import('./library-form.js').renderEntryForm} */
export const renderEntryForm = async (...args) => (await import('./library-form.js')).renderEntryForm(...args);
/** @type {typeof import('./rotate-secret.js').renderRotation} */
export const renderRotation = (...args) => void import('./rotate-secret.js').then((v) => v.renderRotation(...args));
