// Typed wrappers over the Tauri commands. The UI never talks HTTP itself.
// Errors arrive as {code, message, hint}; unknown shapes are normalised so
// views can always show message and hint.

const invoke = window.__TAURI__.core.invoke;

async function call(command, args) {
  try {
    return await invoke(command, args);
  } catch (err) {
    if (err && typeof err === 'object' && 'code' in err) throw err;
    throw { code: 'unknown', message: String(err), hint: 'Try again. If it repeats, check the log file.' };
  }
}

export const appInfo = () => call('app_info');
export const keychainStatus = () => call('keychain_status');
