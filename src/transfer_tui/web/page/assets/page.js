// transfer-tui's page, loaded after textual.js (no inline script: the page's policy
// allows scripts from this server only).
(function () {
  "use strict";

  // textual.js starts its terminal on "load", which waits for every image. Start it as
  // soon as the document is parsed (its styles are in) and the terminal's font is loaded
  // (from this server): the cells are measured with it. Then give it the keyboard: the
  // app is keyboard-first, nobody should have to click before typing.
  const start = window.onload;
  window.onload = null;
  document.addEventListener("DOMContentLoaded", (event) => {
    document.fonts.load("16px 'Roboto Mono'").catch(() => null).then(() => {
      start(event);
      const keys = document.querySelector(".xterm-helper-textarea");
      if (keys) {
        keys.focus();
      }
    });
  });

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
