//! A bare Tauri 2 window: the reference the app's start-up, memory and size are measured against.
fn main() {
    tauri::Builder::default().run(tauri::generate_context!()).expect("the reference app failed to start");
}
