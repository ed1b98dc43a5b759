"""Everything that knows Slack's JSON shapes: readers (Web API, export), permalinks, rendering."""
