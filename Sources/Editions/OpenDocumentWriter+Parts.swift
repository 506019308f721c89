extension OpenDocumentWriter {
    func styles() -> [UInt8] {
        var x = XMLBuffer()
        x.raw("<office:document-styles \(Self.namespaces)><office:styles>")
        x.raw(#"<style:style style:name="Default" style:family="table-cell"/>"#)
        x.raw("</office:styles></office:document-styles>")
        return x.bytes
    }

    func meta() -> [UInt8] {
        var x = XMLBuffer()
        x.raw("<office:document-meta \(Self.namespaces)><office:meta><meta:generator>Accord</meta:generator><dc:title>")
        x.text("Register of data shares, edition of \(date)")
        x.raw("</dc:title></office:meta></office:document-meta>")
        return x.bytes
    }

    /// The view settings: each sheet's header row frozen, the cover shown first.
    func settings() -> [UInt8] {
        func item(_ name: String, _ type: String, _ value: String) -> String {
            #"<config:config-item config:name="\#(name)" config:type="\#(type)">\#(value)</config:config-item>"#
        }
        var x = XMLBuffer()
        x.raw("<office:document-settings \(Self.namespaces)><office:settings>")
        x.raw(#"<config:config-item-set config:name="ooo:view-settings"><config:config-item-map-indexed config:name="Views">"#)
        x.raw("<config:config-item-map-entry>" + item("ViewId", "string", "view1"))
        x.raw(#"<config:config-item-map-named config:name="Tables">"#)
        for sheet in sheets {
            x.raw(#"<config:config-item-map-entry config:name=""#)
            x.text(sheet.name)
            x.raw(#"">"#)
            x.raw(
                item("HorizontalSplitMode", "short", "0") + item("VerticalSplitMode", "short", "2")
                    + item("HorizontalSplitPosition", "int", "0") + item("VerticalSplitPosition", "int", "1")
                    + item("ActiveSplitRange", "short", "2") + item("PositionLeft", "int", "0") + item("PositionRight", "int", "0")
                    + item("PositionTop", "int", "0") + item("PositionBottom", "int", "1"))
            x.raw("</config:config-item-map-entry>")
        }
        x.raw("</config:config-item-map-named>")
        x.raw(#"<config:config-item config:name="ActiveTable" config:type="string">"#)
        x.text(sheets.first?.name ?? "")
        x.raw("</config:config-item></config:config-item-map-entry></config:config-item-map-indexed></config:config-item-set>")
        x.raw("</office:settings></office:document-settings>")
        return x.bytes
    }

    func manifest() -> [UInt8] {
        var x = XMLBuffer()
        x.raw(#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">"#)
        x.raw(#"<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="\#(Self.mediaType)"/>"#)
        for part in ["content.xml", "styles.xml", "meta.xml", "settings.xml"] {
            x.raw(#"<manifest:file-entry manifest:full-path="\#(part)" manifest:media-type="text/xml"/>"#)
        }
        x.raw("</manifest:manifest>")
        return x.bytes
    }
}
