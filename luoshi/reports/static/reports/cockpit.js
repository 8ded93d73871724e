// The cockpit's charts, drawn by ECharts from the figures the page embeds
// (json_script "cockpit-data"). Every chart has the same figures in a table
// beside it, so nothing here is the only way to read them; a click on a bar
// opens the tasks behind it, as the table's links do.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("cockpit-data").textContent);
  var names = data.names;
  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var LIGHT = { red: "#cf222e", yellow: "#d4a72c", green: "#2da44e" };
  var SCHEDULE = { behind: "#d1242f", on: "#2da44e", ahead: "#0969da", "": "#8c959f" };
  var INK = "#1f2328";

  // Tooltips are HTML; labels are names people typed (units, objectives), so they go in as text.
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function short(label, size) {
    return label.length > size ? label.slice(0, size - 1) + "…" : label;
  }

  // Horizontal bars of progress, coloured by schedule, with the planned percent as a tick.
  function progressBars(rows, labelSize) {
    var labels = rows.map(function (r) { return short(r.label, labelSize); }).reverse();
    var reversed = rows.slice().reverse();
    return {
      textStyle: { fontFamily: FONT },
      grid: { left: 8, right: 48, top: 28, bottom: 8, containLabel: true },
      legend: { top: 0, right: 0, data: [names.percent, names.planned], textStyle: { fontFamily: FONT } },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (items) {
          var row = reversed[items[0].dataIndex];
          return escapeHtml(row.label) + "<br>" + names.percent + " " + fmt(row.percent) +
            (row.planned === null ? "" : " · " + names.planned + " " + fmt(row.planned)) + "<br>" +
            names.red + " " + row.lights.red + " · " + names.yellow + " " + row.lights.yellow + " · " + names.green + " " + row.lights.green;
        }
      },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: labels, axisLabel: { fontFamily: FONT, color: INK }, axisTick: { show: false } },
      series: [
        {
          name: names.percent, type: "bar", barMaxWidth: 18, itemStyle: { color: SCHEDULE.on },
          data: reversed.map(function (r) { return { value: r.percent, itemStyle: { color: SCHEDULE[r.schedule] } }; }),
          label: { show: true, position: "right", formatter: function (p) { return fmt(p.value); }, fontFamily: FONT }
        },
        {
          name: names.planned, type: "scatter", symbol: "rect", symbolSize: [3, 22], itemStyle: { color: INK },
          data: reversed.map(function (r) { return r.planned; })
        }
      ]
    };
  }

  function fmt(value) {
    return value === null || value === undefined ? "—" : value + "%";
  }

  function trend(points) {
    var lightSeries = ["red", "yellow", "green"].map(function (light) {
      return {
        name: names[light], type: "bar", stack: "lights", yAxisIndex: 1, barMaxWidth: 28,
        itemStyle: { color: LIGHT[light], opacity: 0.85 },
        data: points.map(function (p) { return p.lights[light]; })
      };
    });
    return {
      textStyle: { fontFamily: FONT },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      legend: { top: 0, textStyle: { fontFamily: FONT } },
      xAxis: { type: "category", data: points.map(function (p) { return p.label; }), axisLabel: { fontFamily: FONT } },
      yAxis: [
        { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        { type: "value", minInterval: 1, splitLine: { show: false } }
      ],
      series: lightSeries.concat([{
        name: names.percent, type: "line", yAxisIndex: 0, symbolSize: 8, lineStyle: { width: 3, color: INK },
        itemStyle: { color: INK }, label: { show: true, formatter: function (p) { return fmt(p.value); } },
        data: points.map(function (p) { return p.percent; })
      }])
    };
  }

  var builders = {
    objectives: function () { return [progressBars(data.objectives, 18), data.objectives]; },
    programmes: function () { return [progressBars(data.programmes, 12), data.programmes]; },
    units: function () { return [progressBars(data.units.slice(0, 15), 10), data.units.slice(0, 15)]; },
    trend: function () { return [trend(data.trend), null]; }
  };

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var build = builders[element.dataset.chart];
    if (!build) { return; }
    var built = build();
    var rows = built[1];
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(built[0]);
    if (rows) {
      // Bars are drawn bottom-up: the last row of the table is the first bar.
      chart.on("click", function (event) {
        var row = rows[rows.length - 1 - event.dataIndex];
        if (row && row.url) { window.location.href = row.url; }
      });
    }
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
