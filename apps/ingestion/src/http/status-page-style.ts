/** The status page's CSS (status-page.ts). */
export const STATUS_PAGE_STYLE = `
  :root { font: 14px/1.4 system-ui, sans-serif; color: #1d2330; background: #f5f6f8; }
  body { margin: 0 auto; max-width: 1200px; padding: 16px; }
  h1 { font-size: 20px; margin: 0 0 8px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; }
  .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 12px; margin-top: 12px; }
  .two { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 12px; margin-top: 12px; }
  .card { background: #fff; border-radius: 8px; padding: 12px; box-shadow: 0 1px 2px #0002; min-width: 0; }
  .label { color: #667; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
  .value { font-size: 22px; font-weight: 600; }
  .subtitle { color: #445; font-size: 12px; margin: 4px 0; }
  .healthy, .connected { color: #137a3a; } .degraded { color: #a86b00; } .unhealthy, .disconnected { color: #b3261e; }
  .hint { background: #fff4d6; border: 1px solid #e8c66a; border-radius: 8px; padding: 10px 12px; margin: 0 0 12px; }
  .hint[hidden] { display: none; }
  table { width: 100%; border-collapse: collapse; font: 12px ui-monospace, monospace; }
  td, th { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eee; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 280px; }
  #reasons { color: #a86b00; margin: 0 0 8px; }
  svg { width: 100%; height: 120px; display: block; background: #fafbfc; border-radius: 4px; }
  #value-chart { height: 160px; }
  svg .grid { stroke: #e3e6eb; stroke-width: 1; vector-effect: non-scaling-stroke; }
  svg .series { fill: none; stroke-width: 2; vector-effect: non-scaling-stroke; stroke-linejoin: round; }
  .s0 { stroke: #3b6fd8; } .s1 { stroke: #1f9d55; }
  .legend { font-size: 12px; margin: 2px 0 4px; min-height: 18px; }
  .legend i { display: inline-block; width: 10px; height: 3px; margin: 0 4px 3px 10px; vertical-align: middle; }
  .legend i.s0 { background: #3b6fd8; } .legend i.s1 { background: #1f9d55; }
  .axis { display: flex; justify-content: space-between; color: #889; font-size: 11px; }
  input[type=search] { width: 100%; box-sizing: border-box; padding: 6px 8px; border: 1px solid #ccd; border-radius: 6px; margin: 6px 0 0; }
  #entity-results { list-style: none; margin: 0; padding: 0; max-height: 140px; overflow-y: auto; font: 12px ui-monospace, monospace; }
  #entity-results li { padding: 3px 6px; cursor: pointer; border-bottom: 1px solid #f0f0f0; }
  #entity-results li:hover, #entity-results li.selected { background: #eef3ff; }
  #registry { max-height: 360px; overflow-y: auto; font-size: 13px; }
  #registry details { margin: 2px 0 2px 10px; }
  #registry summary { cursor: pointer; }
  #registry .count { color: #889; font-size: 11px; }
  #registry .entity { margin-left: 24px; font: 12px ui-monospace, monospace; cursor: pointer; }
  #registry .entity:hover { background: #eef3ff; }
  button { font-size: 11px; margin-left: 8px; }
`;
