// Browser code: the page URL, referrer and messages reach HTML and code sinks.
function render() {
  const frag = decodeURIComponent(location.hash.substring(1));
  const out = document.getElementById("out");
  // ruleid: xss
  out.innerHTML = frag;
  // ok: xss
  out.textContent = frag;
  const q = new URLSearchParams(window.location.search).get("q");
  // ruleid: xss
  document.write("<p>" + q + "</p>");
  // ruleid: xss
  out.insertAdjacentHTML("beforeend", q);
  // ok: xss
  out.insertAdjacentHTML("beforeend", "<b>static</b>");
  // ruleid: xss
  $("#results").html(document.referrer);
  window.addEventListener("message", (event) => {
    // ruleid: code-injection
    eval(event.data);
  });
  // ruleid: open-redirect
  window.location.href = q;
}

function findUser(name) {
  // ruleid: xpath-injection
  return document.evaluate("//user[@name='" + location.hash.slice(1) + "']", document, null, 9, null);
}
