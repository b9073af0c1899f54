// The one-tag embed of cwmp-inspector: load this script, then write
//   <cwmp-inspector src="capture.pcap" session="1" step="3" height="480"></cwmp-inspector>
// and the element becomes an iframe of the app in embed mode, showing that capture's session at
// that message. Plain JavaScript, no build step. The app is the one this script was loaded from.
(() => {
  'use strict';
  // The app lives next to this script: https://host/path/embed.js -> https://host/path/
  const script = document.currentScript;
  const appBase = new URL('./', script ? script.src : document.baseURI);

  class CwmpInspectorElement extends HTMLElement {
    static get observedAttributes() {
      return ['src', 'session', 'step', 'height', 'title'];
    }

    connectedCallback() {
      if (!this.style.display) this.style.display = 'block';
      this.render();
    }

    attributeChangedCallback() {
      if (this.isConnected) this.render();
    }

    /** The app's URL for this element's attributes: `<app>/?embed=1&src=<absolute>&session=&step=`. */
    frameUrl() {
      const url = new URL(appBase);
      url.searchParams.set('embed', '1');
      const src = this.getAttribute('src');
      // Relative to the page the element is on, like any src attribute.
      if (src) url.searchParams.set('src', new URL(src, document.baseURI).href);
      for (const name of ['session', 'step']) {
        const value = this.getAttribute(name);
        if (value !== null && /^\d+$/.test(value.trim())) url.searchParams.set(name, value.trim());
      }
      return url.href;
    }

    render() {
      let frame = this.querySelector('iframe');
      if (!frame) {
        frame = document.createElement('iframe');
        frame.setAttribute('loading', 'lazy');
        frame.setAttribute('referrerpolicy', 'no-referrer');
        // CSSOM, not a style attribute: pages with a strict style-src still size it.
        frame.style.width = '100%';
        frame.style.border = '1px solid #d0d7de';
        frame.style.borderRadius = '6px';
        frame.style.display = 'block';
        this.replaceChildren(frame);
      }
      const height = (this.getAttribute('height') || '').trim();
      frame.style.height = /^\d+$/.test(height) ? `${height}px` : height || '480px';
      const src = this.getAttribute('src') || 'no capture';
      frame.title = this.getAttribute('title') || `cwmp-inspector: ${src.split('/').pop()}`;
      const url = this.frameUrl();
      if (frame.getAttribute('src') !== url) frame.setAttribute('src', url);
    }
  }

  if (!customElements.get('cwmp-inspector')) {
    customElements.define('cwmp-inspector', CwmpInspectorElement);
  }
})();
