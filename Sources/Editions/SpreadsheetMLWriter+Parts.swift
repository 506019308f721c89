extension SpreadsheetMLWriter {
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    func contentTypes() -> [UInt8] {
        var x = XMLBuffer()
        x.raw(#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#)
        x.raw(#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#)
        x.raw(#"<Default Extension="xml" ContentType="application/xml"/>"#)
        x.raw(
            #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
        )
        x.raw(
            #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#)
        for index in sheets.indices {
            x.raw(#"<Override PartName="/xl/worksheets/sheet\#(index + 1).xml" "#)
            x.raw(#"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#)
        }
        x.raw("</Types>")
        return x.bytes
    }

    func rootRelationships() -> [UInt8] {
        var x = XMLBuffer()
        x.raw(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#)
        x.raw(#"<Relationship Id="rId1" Type="\#(Self.relationships)/officeDocument" Target="xl/workbook.xml"/>"#)
        x.raw("</Relationships>")
        return x.bytes
    }

    func workbook() -> [UInt8] {
        var x = XMLBuffer()
        x.raw(
            #"<workbook xmlns="\#(Self.main)" xmlns:r="\#(Self.relationships)"><bookViews><workbookView activeTab="0"/></bookViews><sheets>"#
        )
        for index in sheets.indices {
            x.raw(#"<sheet name=""#)
            x.text(sheets[index].name)
            x.raw(#"" sheetId="\#(index + 1)" r:id="rId\#(index + 1)"/>"#)
        }
        x.raw("</sheets></workbook>")
        return x.bytes
    }

    func workbookRelationships() -> [UInt8] {
        var x = XMLBuffer()
        x.raw(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#)
        for index in sheets.indices {
            x.raw(
                #"<Relationship Id="rId\#(index + 1)" Type="\#(Self.relationships)/worksheet" Target="worksheets/sheet\#(index + 1).xml"/>"#
            )
        }
        x.raw(#"<Relationship Id="rId\#(sheets.count + 1)" Type="\#(Self.relationships)/styles" Target="styles.xml"/>"#)
        x.raw("</Relationships>")
        return x.bytes
    }

    /// Cell formats: 0 plain, 1 an ISO date, 2 a bold wrapped header.
    func styles() -> [UInt8] {
        var x = XMLBuffer()
        x.raw(#"<styleSheet xmlns="\#(Self.main)"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/></numFmts>"#)
        x.raw(
            #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>"#
        )
        x.raw(#"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#)
        x.raw(#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#)
        x.raw(#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#)
        x.raw(#"<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#)
        x.raw(#"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#)
        x.raw(#"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">"#)
        x.raw(#"<alignment vertical="top" wrapText="1"/></xf></cellXfs>"#)
        x.raw(#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#)
        return x.bytes
    }
}
