// chatdong UI behaviour that KRDS does not provide. No dependencies besides htmx.
(function () {
  "use strict";

  function messagesBox() {
    var box = document.querySelector(".cd-messages");
    if (!box) {
      box = document.createElement("div");
      box.className = "cd-messages";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      var main = document.getElementById("main");
      if (!main) return null;
      main.insertBefore(box, main.firstChild);
    }
    return box;
  }

  // Show a message in the page's message area (same look as Django messages).
  function showMessage(text, level) {
    var box = messagesBox();
    if (!box) return;
    var alert = document.createElement("div");
    alert.className = "cd-alert cd-alert--" + (level || "info");
    var icon = document.createElement("i");
    icon.className = "svg-icon " + (level === "error" ? "ico-error-fill" : "ico-information-fill");
    icon.setAttribute("aria-hidden", "true");
    var p = document.createElement("p");
    p.textContent = text;
    alert.appendChild(icon);
    alert.appendChild(p);
    box.appendChild(alert);
  }
  window.chatdong = { showMessage: showMessage };

  var STATUS_TEXT = {
    400: "입력한 내용을 확인해 주세요.",
    403: "이 작업을 할 권한이 없습니다.",
    404: "요청한 정보를 찾을 수 없습니다. 담당 구역 밖의 정보일 수 있습니다.",
    409: "다른 사람이 먼저 수정했습니다. 화면을 새로 고친 뒤 다시 시도해 주세요.",
    429: "요청이 너무 많습니다. 잠시 후 다시 시도해 주세요."
  };

  // htmx: a failed request says so in Korean instead of silently doing nothing.
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    showMessage(STATUS_TEXT[status] || "일시적인 오류가 발생했습니다 (" + status + "). 잠시 후 다시 시도해 주세요.", "error");
  });
  document.addEventListener("htmx:sendError", function () {
    showMessage("서버에 연결할 수 없습니다. 네트워크 연결을 확인해 주세요.", "error");
  });

  // An htmx request that ended on the login page (session timed out) reloads the whole
  // page there instead of swapping the login form into a fragment.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var url = event.detail.xhr.responseURL || "";
    if (url.indexOf("/accounts/login/") !== -1) {
      event.detail.shouldSwap = false;
      window.location.assign(url);
    }
  });

  // <form data-confirm="..."> asks before submitting; submit buttons are disabled while
  // a normal (non-htmx) submission is under way, so a double tap does not post twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (form.hasAttribute("hx-post") || form.hasAttribute("hx-get") || form.method.toLowerCase() !== "post") return;
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-disabled", "true");
      });
    }, 0);
  });
  // Coming back with the browser's Back button shows the page from cache: re-enable.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("button[aria-disabled=true], input[aria-disabled=true]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("aria-disabled");
    });
  });
})();
