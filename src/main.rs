//! Boots the cwmp-inspector app into the page's body.

fn main() {
    yew::Renderer::<cwmp_inspector::App>::new().render();
}
