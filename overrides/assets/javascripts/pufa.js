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

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showTodaysLawyer);
  } else {
    showTodaysLawyer();
  }
})();
