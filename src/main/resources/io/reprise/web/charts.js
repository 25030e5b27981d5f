// Draws every <figure class="chart" data-series="[{label, src}]"> of the page with uPlot: one
// series per entry, each read from the server's downsampled history JSON. The x axis is the step
// when every history has more than one step, else seconds since each history's first point.
(function () {
  'use strict';
  var COLORS = ['#1a5bb5', '#d64545', '#2f9e55', '#c99400', '#6f42c1',
                '#0f8b8d', '#e36414', '#7a5c3e', '#d6336c', '#495057'];

  function load(src) {
    return fetch(src, { credentials: 'same-origin' }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) { throw new Error(body.error || ('HTTP ' + r.status)); }
        return body;
      });
    });
  }

  function distinctSteps(h) {
    for (var i = 1; i < h.steps.length; i++) {
      if (h.steps[i] !== h.steps[0]) { return true; }
    }
    return false;
  }

  // [xs, ys] sorted by x, as uPlot.join needs
  function table(h, byStep) {
    var xs = byStep ? h.steps : h.times;
    var order = xs.map(function (_, i) { return i; });
    order.sort(function (a, b) { return xs[a] - xs[b] || a - b; });
    return [order.map(function (i) { return xs[i]; }), order.map(function (i) { return h.values[i]; })];
  }

  // uPlot puts a lone x value on the left edge of 0..100: centre it instead
  function xRange(xs) {
    var lone = xs.length > 0 && xs[0] === xs[xs.length - 1];
    return lone ? [xs[0] - 1, xs[0] + 1] : undefined;
  }

  function say(fig, cls, text) {
    var p = document.createElement('p');
    p.className = cls;
    p.textContent = text;
    fig.appendChild(p);
  }

  function draw(fig) {
    var series = JSON.parse(fig.getAttribute('data-series'));
    Promise.all(series.map(function (s) { return load(s.src); })).then(function (histories) {
      var byStep = histories.every(distinctSteps);
      var data = histories.length === 1 ? table(histories[0], byStep)
        : uPlot.join(histories.map(function (h) { return table(h, byStep); }));
      var opts = {
        width: Math.max(320, Math.min(fig.clientWidth || 640, 900)),
        height: 240,
        scales: { x: { time: false, range: xRange(data[0]) } },
        axes: [{ label: byStep ? 'step' : 'seconds' }, {}],
        series: [{ label: byStep ? 'step' : 's' }].concat(series.map(function (s, i) {
          var color = COLORS[i % COLORS.length];
          var one = histories[i].values.length < 2; // a final score: no line to draw, so a clear dot
          return { label: s.label, stroke: color, width: 1.5, spanGaps: true,
            points: one ? { show: true, size: 10, fill: color, stroke: color } : {} };
        }))
      };
      new uPlot(opts, data, fig);
      var sampled = histories.filter(function (h) { return h.sampled; });
      if (sampled.length > 0) {
        say(fig, 'note', 'Downsampled to at most 1,000 points per run (first, last, lowest and ' +
          'highest of each stretch kept); ' + histories.map(function (h) { return h.total; }).join(', ') +
          ' points logged.');
      }
      fig.setAttribute('data-drawn', 'true');
    }).catch(function (e) {
      say(fig, 'error', 'Chart not drawn: ' + e.message);
      fig.setAttribute('data-drawn', 'error');
    });
  }

  document.querySelectorAll('figure.chart[data-series]').forEach(draw);
})();
