// @ts-check
// Paints the static shell before the app's modules are fetched. Every module
// request is served on the same main thread that puts the window's first frame
// on screen, so the app is imported after the first animation frame: the first paint then
// comes sooner (benches/paint-probe measures it; the figures are in docs/benchmarks.md).
requestAnimationFrame(() => setTimeout(() => import('./app.js'), 0));
