// Newsdesk's reader script: tells a reader of the live page that new posts are out.
// Every 30 seconds it reads feed.json beside the page and counts the posts it lists that
// this page does not show yet; the count is written as text (never as markup) into the
// page's hidden "new posts" button, which reloads the page at the top. With scripts off
// the button stays hidden and the page works as before.
(function () {
  "use strict";
  var box = document.getElementById("new-posts");
  if (!box || !window.fetch || !window.JSON) { return; }
  var button = box.querySelector("button");
  var feed = box.getAttribute("data-feed") || "feed.json";
  var since = Date.parse(box.getAttribute("data-since") || "") || 0;
  var shown = {};
  var articles = document.querySelectorAll("article[id]");
  for (var i = 0; i < articles.length; i++) { shown[articles[i].id] = true; }
  function count(items) {
    var fresh = 0;
    for (var j = 0; j < items.length; j++) {
      var item = items[j];
      var entry = item && item._newsdesk && item._newsdesk.entry;
      if (typeof entry !== "string" || shown[entry]) { continue; }
      if ((Date.parse(item.date_published) || 0) >= since) { fresh++; }
    }
    return fresh;
  }
  function check() {
    fetch(feed, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !Array.isArray(data.items)) { return; }
        var fresh = count(data.items);
        if (fresh < 1) { return; }
        button.textContent = fresh === 1 ? "1 new post" : fresh + " new posts";
        box.hidden = false;
      })
      .catch(function () { /* offline or a publish under way: try again later */ });
  }
  button.addEventListener("click", function () {
    window.scrollTo(0, 0);
    window.location.replace(window.location.pathname);
  });
  window.setInterval(check, 30000);
})();
