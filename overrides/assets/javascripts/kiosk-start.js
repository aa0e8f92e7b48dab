/* pufa: the kiosk start page turns kiosk mode on before its first paint (loaded in <head>, only on
   that page), so the page does not jump when pufa.js later finds the start marker. */
try {
  sessionStorage.setItem("pufa-kiosk", "1");
  document.documentElement.classList.add("pufa-kiosk", "pufa-elder");
} catch (e) {}
