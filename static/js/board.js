/* Capacity board: drag a job card to another day or work center.
 *
 * A drop POSTs the job, the cell's work center and day to the move view through htmx. The
 * server answers with the whole grid: re-rendered after a move, unchanged (status 400) with
 * the reason after a refusal, so a refused card is back where it was.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function move(grid, card, cell) {
    grid.classList.add("board-busy");
    htmx.ajax("POST", grid.dataset.moveUrl, {
      target: "#board-grid",
      swap: "outerHTML",
      headers: { "X-CSRFToken": csrfToken() },
      values: {
        operation_key: card.dataset.key,
        version: card.dataset.version,
        work_center: cell.dataset.workCenter,
        day: cell.dataset.day,
        start: grid.dataset.start,
        weeks: grid.dataset.weeks,
      },
    });
  }

  function enableDragging(grid) {
    if (grid.dataset.canMove !== "true" || typeof Sortable === "undefined") return;
    grid.querySelectorAll(".board-jobs").forEach(function (list) {
      Sortable.create(list, {
        group: "board",
        // A job just moved can move again once the new plan has placed it.
        draggable: ".job-card:not(.awaiting)",
        // Leave the Move… form and the Unpin button usable with the mouse.
        filter: "details, form, button, select, input, a",
        preventOnFilter: false,
        animation: 120,
        onMove: function (evt) {
          grid.querySelectorAll(".board-drop-target").forEach(function (el) {
            el.classList.remove("board-drop-target");
          });
          evt.to.closest(".board-cell").classList.add("board-drop-target");
        },
        onEnd: function (evt) {
          var cell = evt.to.closest(".board-cell");
          cell.classList.remove("board-drop-target");
          if (evt.to !== evt.from) move(grid, evt.item, cell);
        },
      });
    });
  }

  function showAlert(grid) {
    var alert = grid.querySelector(".board-alert-danger");
    if (alert) {
      alert.scrollIntoView({ block: "nearest" });
      alert.focus();
    }
  }

  function gridIn(elt) {
    if (!elt || !elt.querySelector) return null;
    return elt.id === "board-grid" ? elt : elt.querySelector("#board-grid");
  }

  // A refused move answers 400 with the unchanged grid and the reason: show it, do not drop it.
  document.addEventListener("htmx:beforeSwap", function (evt) {
    if (evt.detail.xhr.status === 400 && evt.detail.target.id === "board-grid") {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  // Anything else going wrong: put the board back as the server has it.
  document.addEventListener("htmx:responseError", function (evt) {
    var grid = document.getElementById("board-grid");
    if (grid && evt.detail.target === grid) {
      grid.classList.remove("board-busy");
      htmx.ajax("GET", grid.getAttribute("hx-get"), { target: "#board-grid", swap: "outerHTML" });
    }
  });
  document.addEventListener("htmx:sendError", function () {
    var grid = document.getElementById("board-grid");
    if (grid) grid.classList.remove("board-busy");
  });

  htmx.onLoad(function (elt) {
    var grid = gridIn(elt);
    if (!grid) return;
    enableDragging(grid);
    showAlert(grid);
  });
})();
