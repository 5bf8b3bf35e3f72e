/**
 * The browser side of the pages, served as /assets/purepool.js: draws every
 * `<canvas data-chart="ID">` from the JSON in `<script type="application/json" id="ID">`
 * (no inline script, so the pages can forbid them), and marks the canvas `data-chart-ready`
 * once drawn. Plain ES2017 for any phone browser; Chart.js comes from /assets/chart.umd.min.js.
 */
export const PUREPOOL_JS = `'use strict';
(function () {
  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute('data-chart'));
    if (!source || typeof Chart === 'undefined') return;
    var spec = JSON.parse(source.textContent);
    var axes = {
      x: { grid: { display: false } },
      y: { beginAtZero: true, grace: '5%', ticks: { precision: 0 }, position: 'left' }
    };
    if (spec.datasets.some(function (d) { return d.yAxisID === 'y2'; })) {
      axes.y2 = { beginAtZero: true, grace: '10%', ticks: { precision: 0 }, position: 'right',
                  grid: { drawOnChartArea: false } };
    }
    new Chart(canvas, {
      type: spec.type || 'bar',
      data: { labels: spec.labels, datasets: spec.datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        plugins: { legend: { display: spec.datasets.length > 1 } },
        scales: axes
      }
    });
    canvas.setAttribute('data-chart-ready', 'true');
  }
  function start() {
    var canvases = document.querySelectorAll('canvas[data-chart]');
    for (var i = 0; i < canvases.length; i++) {
      try { draw(canvases[i]); } catch (e) { canvases[i].setAttribute('data-chart-error', String(e)); }
    }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
`;
