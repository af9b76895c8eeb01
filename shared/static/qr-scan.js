// Scan the participant's QR code with the device camera where the browser has
// BarcodeDetector; the code goes into the form, which is then sent. Without
// it (or without a camera) the code can be typed or pasted.
(function () {
  "use strict";
  var button = document.getElementById("scan-button");
  var form = document.getElementById("code-form");
  if (!button || !form || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var box = document.getElementById("scanner"), video = box.querySelector("video");
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      box.hidden = false;
      video.srcObject = stream;
      video.play();
      var look = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            stream.getTracks().forEach(function (t) { t.stop(); });
            form.elements.code.value = codes[0].rawValue;
            form.submit();
          } else {
            requestAnimationFrame(look);
          }
        }).catch(function () { requestAnimationFrame(look); });
      };
      look();
    }).catch(function () { button.hidden = true; });
  });
})();
