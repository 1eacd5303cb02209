//! The inventory as a picture of its blast radius: env files -> secret keys (by fingerprint) -> services, stores
//! drawn as cylinders. Rendered as a Mermaid flowchart (GitHub markdown, most wikis) or a Graphviz dot graph.

use std::collections::BTreeMap;

use super::{Console, display_path};
use crate::inventory::Inventory;
use crate::stores::StoreKind;

/// The graph both renderings draw: nodes in first-seen order, edges between their indices.
struct Graph {
    nodes: Vec<Node>,
    /// (from, to, solid): a dashed edge binds a file that hands the service no secret.
    edges: Vec<(usize, usize, bool)>,
}

enum Shape {
    File,
    Key,
    Service,
    Store,
}

impl Shape {
    /// The column the shape is drawn in, left to right.
    fn column(&self) -> usize {
        match self {
            Shape::File => 0,
            Shape::Key => 1,
            Shape::Service | Shape::Store => 2,
        }
    }
}

struct Node {
    id: String,
    lines: Vec<String>,
    shape: Shape,
}

impl Graph {
    fn of(inv: &Inventory) -> Graph {
        let mut graph = Graph { nodes: Vec::new(), edges: Vec::new() };
        let mut index: BTreeMap<String, usize> = BTreeMap::new();
        let mut node = |graph: &mut Graph, key: String, lines: Vec<String>, shape: Shape| -> usize {
            *index.entry(key).or_insert_with(|| {
                let prefix = match shape {
                    Shape::File => "f",
                    Shape::Key => "k",
                    Shape::Service | Shape::Store => "s",
                };
                let n = graph.nodes.iter().filter(|n| n.id.starts_with(prefix)).count();
                graph.nodes.push(Node { id: format!("{prefix}{n}"), lines, shape });
                graph.nodes.len() - 1
            })
        };
        for service in &inv.services {
            let store = service.image.as_deref().and_then(StoreKind::from_image);
            let (shape, label) = match store {
                Some(kind) => (Shape::Store, format!("{} ({kind} store)", service.name)),
                None => (Shape::Service, service.name.clone()),
            };
            let s = node(&mut graph, format!("service\0{}", service.name), vec![label], shape);
            let mut fed_files = Vec::new();
            for key in service.environment.iter().filter(|k| k.secret) {
                let file = key.file.as_deref().map(display_path).unwrap_or_else(|| "environment".to_string());
                let f = node(&mut graph, format!("file\0{file}"), vec![file.clone()], Shape::File);
                // `via ${VAR}` when the service's key gets its value from a variable of another name.
                let name = match key.variable.as_deref() {
                    Some(v) if v != key.key => format!("{} via ${{{v}}}", key.key),
                    _ => key.key.clone(),
                };
                let fp = key.fingerprint.clone().unwrap_or_else(|| "unset".to_string());
                let id =
                    format!("key\0{file}\0{}\0{}", key.line.unwrap_or(0), key.variable.as_deref().unwrap_or(&key.key));
                let k = node(&mut graph, id, vec![name, fp], Shape::Key);
                graph.edge(f, k, true);
                graph.edge(k, s, true);
                fed_files.push(f);
            }
            for binding in &service.env_files {
                let mut label = display_path(&binding.path);
                let f = node(&mut graph, format!("file\0{label}"), Vec::new(), Shape::File);
                if graph.nodes[f].lines.is_empty() {
                    if !binding.exists {
                        label.push_str(if binding.required { " (missing)" } else { " (absent, optional)" });
                    }
                    graph.nodes[f].lines.push(label);
                }
                if !fed_files.contains(&f) {
                    graph.edge(f, s, false);
                }
            }
        }
        // Drawn left to right: files, then keys, then services; edges from files first.
        let groups: Vec<usize> = graph.nodes.iter().map(|n| n.shape.column()).collect();
        graph.edges.sort_by_key(|&(a, _, _)| groups[a]);
        graph
    }

    /// The nodes in drawing order (files, keys, services), each group in first-seen order.
    fn ordered(&self) -> Vec<&Node> {
        let mut nodes: Vec<&Node> = self.nodes.iter().collect();
        nodes.sort_by_key(|n| n.shape.column());
        nodes
    }

    fn edge(&mut self, from: usize, to: usize, solid: bool) {
        if !self.edges.iter().any(|&(a, b, _)| a == from && b == to) {
            self.edges.push((from, to, solid));
        }
    }
}

/// Prints the Mermaid flowchart of `inv`.
pub fn inventory_mermaid(inv: &Inventory) -> std::io::Result<()> {
    Console::stdout().write(&mermaid(inv))
}

/// Prints the Graphviz dot graph of `inv`.
pub fn inventory_dot(inv: &Inventory) -> std::io::Result<()> {
    Console::stdout().write(&dot(inv))
}

/// The Mermaid text of `inv`.
pub fn mermaid(inv: &Inventory) -> String {
    let graph = Graph::of(inv);
    // `#quot;` is Mermaid's entity for a quote inside a quoted label; `<br/>` breaks a line.
    let label = |n: &Node| n.lines.iter().map(|l| l.replace('"', "#quot;")).collect::<Vec<_>>().join("<br/>");
    let mut text =
        format!("%% docker secops inventory: project {}; secrets by fingerprint, never values\n", inv.project);
    text.push_str("flowchart LR\n");
    for n in graph.ordered() {
        let l = label(n);
        text.push_str(&match n.shape {
            Shape::File => format!("  {}[/\"{l}\"/]\n", n.id),
            Shape::Key => format!("  {}([\"{l}\"])\n", n.id),
            Shape::Service => format!("  {}[\"{l}\"]\n", n.id),
            Shape::Store => format!("  {}[(\"{l}\")]\n", n.id),
        });
    }
    for &(a, b, solid) in &graph.edges {
        let arrow = if solid { "-->" } else { "-.->" };
        text.push_str(&format!("  {} {arrow} {}\n", graph.nodes[a].id, graph.nodes[b].id));
    }
    let stores: Vec<&str> =
        graph.nodes.iter().filter(|n| matches!(n.shape, Shape::Store)).map(|n| n.id.as_str()).collect();
    if !stores.is_empty() {
        text.push_str("  classDef store fill:#fde68a,stroke:#b45309\n");
        text.push_str(&format!("  class {} store\n", stores.join(",")));
    }
    text
}

/// The dot text of `inv`.
pub fn dot(inv: &Inventory) -> String {
    let graph = Graph::of(inv);
    let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut text =
        format!("// docker secops inventory: project {}; secrets by fingerprint, never values\n", inv.project);
    text.push_str(&format!(
        "digraph \"{}\" {{\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n",
        quote(&inv.project)
    ));
    for n in graph.ordered() {
        let label = n.lines.iter().map(|l| quote(l)).collect::<Vec<_>>().join("\\n");
        let attrs = match n.shape {
            Shape::File => "shape=note",
            Shape::Key => "shape=ellipse",
            Shape::Service => "shape=box",
            Shape::Store => "shape=cylinder, style=filled, fillcolor=\"#fde68a\"",
        };
        text.push_str(&format!("  {} [label=\"{label}\", {attrs}];\n", n.id));
    }
    for &(a, b, solid) in &graph.edges {
        let style = if solid { "" } else { " [style=dashed]" };
        text.push_str(&format!("  {} -> {}{style};\n", graph.nodes[a].id, graph.nodes[b].id));
    }
    text.push_str("}\n");
    text
}
