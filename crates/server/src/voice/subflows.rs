//! Sub-flows: a `sub_flow` node sends the caller on into another flow of the same tenant.
//! Before a flow is used, `inline` copies the nodes of every flow it reaches into it, each
//! under the id of the node that named it (`aftersales/menu`), so the voice crate's walk
//! needs no notion of flows calling flows. A cycle, nesting deeper than `MAX_DEPTH` or a flow
//! that grows past the node limit is refused with the field at fault.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use uuid::Uuid;

use super::flows::{FlowDef, FlowError, NodeDef, WindowDef};

/// How many flows deep sub-flows may nest (the flow itself counts as one).
pub const MAX_DEPTH: usize = 8;

/// The most nodes a flow may have once its sub-flows are inlined (what `to_flow` allows).
const MAX_INLINED: usize = 200;

/// A flow with its sub-flows inlined, and the flows it reached.
#[derive(Debug)]
pub struct Inlined {
    pub def: FlowDef,
    pub uses: BTreeSet<Uuid>,
}

/// Inlines the sub-flows of `def` (the flow `id`, when it is stored) from the tenant's
/// `flows`. The walk then passes through each sub-flow node, so the call's path reads
/// `主菜单 → 1 售后 → 售后菜单 → …`.
pub fn inline(
    id: Option<Uuid>,
    def: &FlowDef,
    flows: &HashMap<Uuid, FlowDef>,
) -> Result<Inlined, FlowError> {
    let mut out = Expansion {
        flows,
        stack: id.into_iter().collect(),
        nodes: BTreeMap::new(),
        uses: BTreeSet::new(),
    };
    out.expand(def, "")?;
    Ok(Inlined {
        def: FlowDef {
            start: def.start.clone(),
            nodes: out.nodes,
        },
        uses: out.uses,
    })
}

struct Expansion<'a> {
    flows: &'a HashMap<Uuid, FlowDef>,
    /// The flows being expanded, outermost first.
    stack: Vec<Uuid>,
    nodes: BTreeMap<String, NodeDef>,
    uses: BTreeSet<Uuid>,
}

impl Expansion<'_> {
    fn expand(&mut self, def: &FlowDef, prefix: &str) -> Result<(), FlowError> {
        for (id, node) in &def.nodes {
            let here = format!("{prefix}{id}");
            let node = match node {
                NodeDef::SubFlow { label, flow_id } => {
                    let start = self
                        .sub_flow(*flow_id, &here)
                        .map_err(|e| e.within(&format!("nodes.{id}")))?;
                    pass_through(label, start)
                }
                other => {
                    let mut node = other.clone();
                    for target in node.targets_mut() {
                        *target = format!("{prefix}{target}");
                    }
                    node
                }
            };
            self.nodes.insert(here, node);
            // Checked as it grows: a flow naming one sub-flow many times, nested, would
            // otherwise multiply without bound.
            if self.nodes.len() > MAX_INLINED {
                return Err(FlowError::new(
                    "nodes",
                    format!("with its sub-flows the flow has more than {MAX_INLINED} nodes"),
                ));
            }
        }
        Ok(())
    }

    /// Expands the flow a sub-flow node at `here` names; returns the id its start got.
    fn sub_flow(&mut self, flow_id: Uuid, here: &str) -> Result<String, FlowError> {
        if self.stack.contains(&flow_id) {
            return Err(FlowError::new(
                "flow_id",
                "the sub-flows go round in a circle: this flow is already on the way here",
            ));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(FlowError::new(
                "flow_id",
                format!("sub-flows nest deeper than {MAX_DEPTH} flows"),
            ));
        }
        let target = self
            .flows
            .get(&flow_id)
            .ok_or_else(|| FlowError::new("flow_id", "no IVR flow of this tenant has this id"))?;
        self.uses.insert(flow_id);
        self.stack.push(flow_id);
        let inner = format!("{here}/");
        let done = self.expand(target, &inner);
        self.stack.pop();
        done?;
        Ok(format!("{inner}{}", target.start))
    }
}

/// The sub-flow node as the walk sees it: a step that is always open and goes on to the
/// sub-flow's start, so its label shows in the call's path.
fn pass_through(label: &str, start: String) -> NodeDef {
    NodeDef::Hours {
        label: label.to_owned(),
        windows: vec![WindowDef {
            days: (1..=7).collect(),
            from: "00:00".into(),
            to: "24:00".into(),
        }],
        holidays: Vec::new(),
        open: start.clone(),
        closed: start,
    }
}

/// The name of a flow whose sub-flow node names `target`, if any (deleting `target` would
/// strand it).
pub fn used_by<'a>(
    target: Uuid,
    flows: impl IntoIterator<Item = (&'a str, &'a FlowDef)>,
) -> Option<&'a str> {
    flows.into_iter().find_map(|(name, def)| {
        def.nodes
            .values()
            .any(|n| matches!(n, NodeDef::SubFlow { flow_id, .. } if *flow_id == target))
            .then_some(name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voice::flows::to_flow;
    use switchboard_engine::TenantZone;
    use switchboard_voice::ivr::{Action, Exit, Walk};

    fn menu(label: &str, choices: &[(&str, &str)], fallback: &str) -> NodeDef {
        NodeDef::Menu {
            label: label.into(),
            prompts: vec!["zh-welcome".into()],
            choices: choices
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            timeout_ms: 5_000,
            retries: 1,
            invalid_prompts: vec![],
            fallback: fallback.into(),
        }
    }

    fn flow(start: &str, nodes: Vec<(&str, NodeDef)>) -> FlowDef {
        FlowDef {
            start: start.into(),
            nodes: nodes.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        }
    }

    fn sub(label: &str, flow_id: Uuid) -> NodeDef {
        NodeDef::SubFlow {
            label: label.into(),
            flow_id,
        }
    }

    fn hangup() -> NodeDef {
        NodeDef::Hangup {
            label: "挂机".into(),
        }
    }

    #[test]
    fn a_sub_flow_is_walked_as_part_of_the_flow_and_read_in_the_path() {
        let (main_id, after_id) = (Uuid::new_v4(), Uuid::new_v4());
        let queue = Uuid::new_v4();
        // Both flows have a node "bye": the prefix keeps them apart.
        let after = flow(
            "menu",
            vec![
                ("menu", menu("售后菜单", &[("2", "repair")], "bye")),
                (
                    "repair",
                    NodeDef::Queue {
                        label: "维修".into(),
                        queue_id: queue,
                    },
                ),
                ("bye", hangup()),
            ],
        );
        let main = flow(
            "menu",
            vec![
                ("menu", menu("主菜单", &[("1", "after")], "bye")),
                ("after", sub("售后", after_id)),
                ("bye", hangup()),
            ],
        );
        let flows = HashMap::from([(main_id, main.clone()), (after_id, after)]);
        let inlined = inline(Some(main_id), &main, &flows).unwrap();
        assert_eq!(inlined.uses, BTreeSet::from([after_id]));
        let ids: Vec<&str> = inlined.def.nodes.keys().map(String::as_str).collect();
        assert_eq!(
            ids,
            [
                "after",
                "after/bye",
                "after/menu",
                "after/repair",
                "bye",
                "menu"
            ]
        );
        let flow = to_flow("主", &inlined.def, &TenantZone::utc()).unwrap();

        let mut walk = Walk::new(flow);
        walk.start(0);
        walk.on_prompts_done(0);
        walk.on_digit(1, '1');
        walk.on_prompts_done(2);
        let out = walk.on_digit(3, '2');
        assert!(
            out.contains(&Action::Done(Exit::Queue(
                switchboard_engine::SkillQueueId(queue)
            ))),
            "{out:?}"
        );
        assert_eq!(walk.path_text(), "主菜单 → 1 售后 → 售后菜单 → 2 维修");
    }

    #[test]
    fn cycles_depth_and_missing_flows_are_refused_naming_the_node() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let fa = flow("go", vec![("go", sub("去B", b))]);
        let fb = flow("back", vec![("back", sub("回A", a))]);
        let flows = HashMap::from([(a, fa.clone()), (b, fb)]);
        let err = inline(Some(a), &fa, &flows).unwrap_err();
        assert_eq!(err.field, "nodes.go.nodes.back.flow_id");
        assert!(err.message.contains("circle"), "{err}");

        // A flow naming itself.
        let selfish = flow("me", vec![("me", sub("我", a))]);
        let err = inline(Some(a), &selfish, &HashMap::from([(a, selfish.clone())])).unwrap_err();
        assert_eq!(err.field, "nodes.me.flow_id");

        let err = inline(
            None,
            &flow("x", vec![("x", sub("无", Uuid::new_v4()))]),
            &flows,
        )
        .unwrap_err();
        assert_eq!(err.field, "nodes.x.flow_id");
        assert!(err.message.contains("no IVR flow"), "{err}");

        // A chain of nine flows, each calling the next: one too deep.
        let ids: Vec<Uuid> = (0..10).map(|_| Uuid::new_v4()).collect();
        let mut chain = HashMap::new();
        for w in ids.windows(2) {
            chain.insert(w[0], flow("n", vec![("n", sub("下一层", w[1]))]));
        }
        chain.insert(ids[9], flow("end", vec![("end", hangup())]));
        assert!(
            inline(Some(ids[2]), &chain[&ids[2]], &chain).is_ok(),
            "8 deep is fine"
        );
        let err = inline(Some(ids[1]), &chain[&ids[1]], &chain).unwrap_err();
        assert!(err.message.contains("deeper than 8"), "{err}");
    }

    #[test]
    fn a_flow_that_multiplies_is_stopped_at_the_node_limit() {
        let ids: Vec<Uuid> = (0..8).map(|_| Uuid::new_v4()).collect();
        let mut flows = HashMap::new();
        // Each flow names the next one ten times: 10^7 nodes if nothing stopped it.
        for w in ids.windows(2) {
            let nodes = (0..10)
                .map(|i| (format!("s{i}"), sub("子", w[1])))
                .collect::<BTreeMap<_, _>>();
            flows.insert(
                w[0],
                FlowDef {
                    start: "s0".into(),
                    nodes,
                },
            );
        }
        flows.insert(ids[7], flow("end", vec![("end", hangup())]));
        let err = inline(Some(ids[0]), &flows[&ids[0]], &flows).unwrap_err();
        assert!(err.field.starts_with("nodes.s0."), "{err}");
        assert!(err.message.contains("more than 200"), "{err}");
    }

    #[test]
    fn used_by_names_the_flow_with_the_sub_flow_node() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let fa = flow("go", vec![("go", sub("去B", b))]);
        let fb = flow("end", vec![("end", hangup())]);
        let all = [("A", &fa), ("B", &fb)];
        assert_eq!(used_by(b, all), Some("A"));
        assert_eq!(used_by(a, all), None);
    }
}
