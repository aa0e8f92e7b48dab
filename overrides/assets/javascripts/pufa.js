/* pufa: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // 律师接访: show today's duty lawyer first (the table lists the whole week without JS).
  function showTodaysLawyer() {
    var box = document.querySelector("[data-pufa-today]");
    var table = document.querySelector("table.pufa-rota");
    if (!box || !table) return;
    var iso = ((new Date().getDay() + 6) % 7) + 1; // 1 = Monday ... 7 = Sunday
    var row = table.querySelector('tr[data-weekday="' + iso + '"]');
    if (!row) {
      box.textContent = "今天没有安排律师接访，请看下面的轮值表。";
    } else {
      row.classList.add("pufa-rota__today");
      row.setAttribute("aria-current", "date");
      var cells = row.querySelectorAll("th, td");
      var text = [];
      for (var i = 0; i < cells.length; i++) text.push(cells[i].textContent.trim());
      if ((text[1] + text[2]).indexOf("待核实") >= 0) {
        box.textContent = "今天（" + text[0] + "）安排了律师接访；律师姓名和时间待核实，来访前请先电话确认。";
      } else {
        box.textContent = "今天（" + text[0] + "）接访：" + text[2] + "（" + text[3] + "），" + text[1] + "。";
      }
      row.parentNode.insertBefore(row, row.parentNode.firstChild);
    }
    box.hidden = false;
  }

  // 依法分类练习: keep each case's feedback visible and count the score. The first choice per
  // case counts. Kept in memory only: nothing is stored or sent anywhere.
  function setupPractice() {
    var root = document.querySelector(".pufa-practice");
    var score = document.querySelector("[data-pufa-score]");
    if (!root || !score) return;
    var total = Number(score.getAttribute("data-total"));
    var first = {};
    root.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-case]");
      if (!link) return;
      var id = link.getAttribute("data-case");
      var shown = root.querySelectorAll('[id^="p-' + id + '-"].pufa-feedback.is-shown');
      for (var i = 0; i < shown.length; i++) shown[i].classList.remove("is-shown");
      var box = document.getElementById("p-" + id + "-" + link.getAttribute("data-channel"));
      if (box) box.classList.add("is-shown");
      if (!(id in first)) first[id] = link.getAttribute("data-correct") === "true";
      var answered = 0, right = 0;
      for (var key in first) { answered++; if (first[key]) right++; }
      score.hidden = false;
      score.textContent = answered < total
        ? "已答 " + answered + " 题，答对 " + right + " 题（共 " + total + " 题，每题以第一次选择计分）"
        : "全部完成：答对 " + right + " / " + total + " 题。";
    });
  }

  function init() {
    showTodaysLawyer();
    setupPractice();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
