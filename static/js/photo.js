/* Photos are made smaller on the phone before they are kept or sent: any file picked in an
 * <input type=file data-resize> is redrawn on a canvas, long side at most 2048 px, as JPEG, and
 * put back into the input. A phone photo of 8 MB becomes well under the server's limit; the
 * server still decodes, re-encodes and strips all metadata (platser/photos.py).
 * TryggaPhoto.ready(input) resolves when the input holds the resized file.
 */
(function () {
  "use strict";
  var LONG_SIDE = 2048, QUALITY = 0.85, SMALL = 1500000;
  var pending = new WeakMap();

  function load(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" });
    }
    return new Promise(function (resolve, reject) {
      var img = new Image(), url = URL.createObjectURL(file);
      img.onload = function () { URL.revokeObjectURL(url); resolve(img); };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("not an image")); };
      img.src = url;
    });
  }

  function resize(file) {
    if (!file || !/^image\//.test(file.type)) { return Promise.resolve(file); }
    return load(file).then(function (image) {
      var w = image.width, h = image.height, scale = Math.min(1, LONG_SIDE / Math.max(w, h));
      if (scale === 1 && file.size <= SMALL && file.type === "image/jpeg") { return file; }
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob) { resolve(file); return; }
          var name = (file.name || "foto").replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg" }));
        }, "image/jpeg", QUALITY);
      });
    }, function () { return file; }); // not decodable here (HEIC): the server decides
  }

  function attach(input) {
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file || input.dataset.resized === file.name + file.size) { return; }
      var work = resize(file).then(function (small) {
        if (small !== file && window.DataTransfer) {
          try {
            var dt = new DataTransfer();
            dt.items.add(small);
            input.files = dt.files;
          } catch (e) { /* the original stays */ }
        }
        var now = input.files[0];
        if (now) { input.dataset.resized = now.name + now.size; }
        return now;
      });
      pending.set(input, work);
    });
  }

  document.querySelectorAll("input[type=file][data-resize]").forEach(attach);

  window.TryggaPhoto = {
    resize: resize,
    ready: function (input) {
      return (input && pending.get(input)) || Promise.resolve(input && input.files && input.files[0]);
    }
  };
})();
