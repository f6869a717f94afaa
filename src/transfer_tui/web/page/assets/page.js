// transfer-tui's page, loaded after textual.js (no inline script: the page's policy
// allows scripts from this server only).
(function () {
  "use strict";

  // The terminal measures its cells with its font: start it once the font is loaded
  // (from this server), or its columns come out too wide or too narrow. Then give it the
  // keyboard: the app is keyboard-first, nobody should have to click before typing.
  const start = window.onload;
  window.onload = function (event) {
    document.fonts.load("16px 'Roboto Mono'").catch(() => null).then(() => {
      start(event);
      const keys = document.querySelector(".xterm-helper-textarea");
      if (keys) {
        keys.focus();
      }
    });
  };

  // The app starts out of focus; tell it at once when this tab has the focus (the
  // terminal took it before the connection was open). When the server closes the
  // session it says why (the tab limit reached, the app stopped): show that in the
  // "session ended" box.
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener("open", () => {
        if (document.hasFocus()) {
          this.send(JSON.stringify(["focus"]));
        }
      });
      this.addEventListener("close", (event) => {
        const message = document.getElementById("closed-message");
        if (message && event.reason) {
          message.textContent = event.reason;
        }
      });
    }
  };

  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("restart").addEventListener("click", () => {
      window.location.href = window.location.pathname;
    });
  });
})();
