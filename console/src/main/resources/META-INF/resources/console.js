// Twostep console: plain JavaScript shared by every page, bundled with the module (no network at run time).
"use strict";

// A page whose data cannot be read says so, with the console's problem detail, instead of staying blank.
window.addEventListener("unhandledrejection", event => {
  if (event.reason && event.reason.message === "not signed in") return;
  const main = document.querySelector("main");
  if (main) main.prepend(Object.assign(document.createElement("div"), {className: "message refused",
    textContent: "Could not load this page: " + (event.reason && event.reason.message)}));
});

const twostep = (() => {
  async function api(path, options = {}) {
    const response = await fetch(path, Object.assign({credentials: "same-origin",
      headers: {"Accept": "application/json", "Content-Type": "application/json"}}, options));
    if (response.status === 401 && !location.pathname.endsWith("/sign-in.html")) {
      location.href = "/sign-in.html";
      throw new Error("not signed in");
    }
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (e) { body = {detail: text}; }
    return {status: response.status, ok: response.ok, body};
  }

  async function get(path) {
    const answer = await api(path);
    if (!answer.ok) throw new Error((answer.body && answer.body.detail) || ("HTTP " + answer.status));
    return answer.body;
  }

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith("on")) node.addEventListener(name.substring(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function time(iso) { return iso ? iso.replace("T", " ").replace(/\.\d+Z$|Z$/, "") : ""; }
  function shortType(type) { return type.replace(/^dev\.twostep\./, "").replace(/\.v\d+$/, ""); }
  function query(name) { return new URLSearchParams(location.search).get(name); }

  /** One event as a row of a timeline: time, type, actor, what happened (linked to its rollout), its story. */
  function eventRow(entry, {fresh = false, storyLink = true} = {}) {
    const what = entry.rolloutId
      ? el("a", {href: "/rollout.html?id=" + encodeURIComponent(entry.rolloutId)}, entry.summary) : entry.summary;
    return el("tr", {class: fresh ? "fresh" : null, "data-event-id": entry.eventId, "data-type": entry.type},
      el("td", {class: "time"}, time(entry.at)),
      el("td", {class: "mono"}, shortType(entry.type)),
      el("td", {}, entry.actor || "-"),
      el("td", {}, what),
      storyLink ? el("td", {}, entry.correlationId
        ? el("a", {href: "/story.html?id=" + encodeURIComponent(entry.correlationId)}, "story") : "") : null);
  }

  /** Shows a service's answer to an action: what it did, or its problem's title and detail. */
  function report(answer, done) {
    const box = document.getElementById("message");
    box.className = "message " + (answer.ok ? "ok" : "refused");
    box.textContent = answer.ok ? done
      : "Refused (" + answer.status + "): " + ((answer.body && (answer.body.detail || answer.body.title)) || "");
  }

  /** The header: navigation and who is signed in; resolves to /ui/api/me. */
  async function frame(here) {
    const header = el("header", {},
      el("span", {class: "brand"}, "Twostep"),
      el("nav", {}, [["index.html", "Timeline"], ["environments.html", "Environments"], ["features.html", "Features"],
        ["rollout.html", "Rollouts"]].map(([href, label]) => el("a", {href: "/" + href,
        class: href === here ? "here" : null}, label))),
      el("span", {class: "who", id: "who"}));
    document.body.prepend(header);
    const me = await get("/ui/api/me");
    document.getElementById("who").append(me.name + " (" + me.roles.join(", ") + ") ",
      el("button", {class: "secondary", id: "sign-out", onclick: async () => {
        const signedOut = await api("/sign-in/out", {method: "POST"});
        location.href = signedOut.body.next;
      }}, "Sign out"));
    return me;
  }

  return {api, get, el, time, query, report, frame, eventRow};
})();
