//! What a finished run and a finished uncertainty analysis write: the one place that decides
//! which files, charts and pages go into the output folder. The commands stage them here and
//! then commit the folder, or discard it if interrupted.

use rayon::prelude::*;

use super::uncertainty::{UncertaintyRunInfo, uncertainty_charts, uncertainty_report, uncertainty_tables};
use super::{OutputDir, OutputError, Outputs, RunInfo};
use crate::experiment::ExperimentResults;
use crate::experiment::uncertainty::UncertaintyResults;

/// Stages a run's files that `outputs` asks for, `run.json` always; charts render in
/// parallel (on the caller's thread pool) and are staged in order, and the report holds them
/// inline.
pub fn stage_run(
    dir: &mut OutputDir,
    results: &ExperimentResults,
    run: &RunInfo,
    outputs: &Outputs,
) -> Result<(), OutputError> {
    for exporter in super::exporters(results) {
        if outputs.wants_file(exporter.file_name()) {
            let bytes = exporter.serialize(results)?;
            dir.stage(exporter.file_name(), &bytes)?;
        }
    }
    dir.stage("run.json", &super::run_json(results, run)?)?;
    if !(outputs.wants("charts") || outputs.wants("report")) {
        return Ok(());
    }
    // Charts are independent: render them in parallel, then stage them in order.
    let rendered: Vec<Result<_, OutputError>> = super::chart::charts_for(results)
        .into_par_iter()
        .map(|chart| {
            let png = match outputs.wants("charts") {
                true => Some(super::chart::png(results, &chart)?),
                false => None,
            };
            Ok((super::chart::svg(results, &chart)?, png, chart))
        })
        .collect();
    let mut inline = Vec::new();
    for item in rendered {
        let (svg, png, chart) = item?;
        if let Some(png) = png {
            dir.stage(&format!("charts/{}.svg", chart.stem), svg.as_bytes())?;
            dir.stage(&format!("charts/{}.png", chart.stem), &png)?;
        }
        inline.push((chart, svg));
    }
    if outputs.wants("report") {
        dir.stage("report.html", super::report_html(results, &inline, run).as_bytes())?;
    }
    Ok(())
}

/// Stages an analysis's tables, its charts (rendered in parallel on the caller's thread
/// pool), `uncertainty.html` and the resolved scenario `scenario_toml`.
pub fn stage_analysis(
    dir: &mut OutputDir,
    results: &UncertaintyResults,
    run: &UncertaintyRunInfo,
    scenario_toml: &str,
) -> Result<(), OutputError> {
    for (name, bytes) in uncertainty_tables(results)? {
        dir.stage(name, &bytes)?;
    }
    let rendered: Vec<Result<_, OutputError>> = uncertainty_charts(results)
        .into_par_iter()
        .map(|(kind, stem, title)| {
            super::chart::uncertainty_chart(results, kind, &stem, &title).map(|(svg, png)| (stem, title, svg, png))
        })
        .collect();
    let mut inline = Vec::new();
    for item in rendered {
        let (stem, title, svg, png) = item?;
        dir.stage(&format!("charts/{stem}.svg"), svg.as_bytes())?;
        dir.stage(&format!("charts/{stem}.png"), &png)?;
        inline.push((stem, title, svg));
    }
    dir.stage("uncertainty.html", uncertainty_report(results, &inline, run).as_bytes())?;
    dir.stage("scenario.toml", scenario_toml.as_bytes())?;
    Ok(())
}
